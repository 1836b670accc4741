package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.Connection;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections of a library client that each send numbered frames as fast as they stay writable, and check the
 * echoes: each connection must get back exactly its own frames, in order. A frame carries the connection's index,
 * its number, and {@code number % 17} padding bytes of value {@code number}, so frames differ in length and a frame
 * delivered to the wrong connection, twice, or out of order is seen.
 */
final class NumberedTraffic {
    /** Runs in a sender before it sends frame {@code number}; lets a test pace the senders. */
    @FunctionalInterface
    interface Gate {
        void before(int number) throws Exception;
    }

    private static final long WRITABLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int frames;
    private final Connection[] links;
    /** Per connection, the number of the next echo expected. Written on the client's port threads only. */
    private final AtomicIntegerArray next;
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done;
    private final List<Thread> senders = new ArrayList<>();

    NumberedTraffic(int connections, int frames) {
        this.frames = frames;
        this.links = new Connection[connections];
        this.next = new AtomicIntegerArray(connections);
        this.done = new CountDownLatch(connections);
    }

    /** The handler of the client carrying the traffic: it checks every echo. */
    LedgerHandler clientHandler(LifetimeLedger ledger) {
        return new LedgerHandler(ledger, (connection, packet) -> check((Integer) connection.attachment(), packet));
    }

    /** Opens the connections; each knows its index before it sends. */
    void connect(Client client, InetSocketAddress server) throws Exception {
        for (int i = 0; i < links.length; i++) {
            links[i] = client.connect(server).get(10, TimeUnit.SECONDS);
            links[i].attach(i);
        }
    }

    /** Starts one sender thread per connection. */
    void start(Gate gate) {
        for (int i = 0; i < links.length; i++) {
            int index = i;
            senders.add(Thread.ofPlatform().name("numbered-sender-" + i).start(() -> sendAll(index, gate)));
        }
    }

    /** Waits for every echo and checks that each connection got exactly its frames, in order. */
    void assertEveryFrameCameBackInOrder(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread sender : senders) {
            sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        boolean complete = done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        List<String> seen = List.copyOf(problems);
        assertEquals(List.of(), seen.subList(0, Math.min(10, seen.size())), seen.size() + " problems");
        assertTrue(complete, () -> "echoes still missing: " + missing());
        for (int i = 0; i < links.length; i++) {
            assertEquals(frames, next.get(i), "echoes of connection " + i);
        }
    }

    /** The client side of connection {@code index}. */
    Connection link(int index) {
        return links[index];
    }

    /** Echoes received so far, over all connections. */
    long received() {
        long total = 0;
        for (int i = 0; i < links.length; i++) {
            total += next.get(i);
        }
        return total;
    }

    private String missing() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < links.length; i++) {
            if (next.get(i) != frames) {
                text.append("connection ").append(i).append(" got ").append(next.get(i)).append("; ");
            }
        }
        return text.toString();
    }

    private void sendAll(int index, Gate gate) {
        Connection link = links[index];
        ByteBuffer frame = ByteBuffer.allocate(8 + 16);
        try {
            for (int number = 0; number < frames; number++) {
                gate.before(number);
                long waitingSince = System.nanoTime();
                while (!link.isWritable()) {
                    if (!link.isOpen() || System.nanoTime() - waitingSince > WRITABLE_WAIT_NANOS) {
                        problems.add("connection " + index + " stayed unwritable at frame " + number);
                        return;
                    }
                    LockSupport.parkNanos(20_000);
                }
                frame.clear().putInt(index).putInt(number);
                for (int pad = number % 17; pad > 0; pad--) {
                    frame.put((byte) number);
                }
                if (!link.send(frame.flip())) {
                    problems.add("connection " + index + " refused frame " + number);
                    return;
                }
            }
        } catch (Exception e) {
            problems.add("sender " + index + " failed: " + e);
        }
    }

    private void check(int index, ByteBuffer packet) {
        int number = next.get(index);
        int start = packet.position();
        boolean intact = packet.remaining() == 8 + number % 17 && packet.getInt(start) == index
                && packet.getInt(start + 4) == number;
        for (int i = start + 8; intact && i < packet.limit(); i++) {
            intact = packet.get(i) == (byte) number;
        }
        if (!intact) {
            problems.add("connection " + index + " expected frame " + number + ", got " + packet.remaining()
                    + " bytes" + (packet.remaining() < 8 ? "" : " naming connection " + packet.getInt(start)
                    + " frame " + packet.getInt(start + 4)));
        }
        next.set(index, number + 1);
        if (number + 1 == frames) {
            done.countDown();
        }
    }
}
