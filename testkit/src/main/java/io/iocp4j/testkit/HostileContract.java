package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Server;
import io.iocp4j.ServerStats;
import io.iocp4j.buffer.BufferPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that try to take the server's memory: frames announced huge and sent slowly, replies never read, memory
 * that runs out. The server must hold its budgets by the pool's own accounting at every step, make the
 * connections holding the most pay, keep serving a well-behaved witness, and end with every lease back and every
 * connection ended once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class HostileContract extends ContractSupport {
    private static final int MAX_FRAME = 1 << 20;
    /** The server's partial-frame budget when a test does not set it. */
    private static final long DEFAULT_PARTIAL_FRAME_BUDGET = 128L << 20;

    @Test
    void thousandsOfPartialFramesAtTheLimitHoldOnlyWhatArrivedAndTheHeaviestPayForASpentBudget() throws Exception {
        long budget = 4L << 20;
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .partialFrameBudget(budget)
                .sendBudget(64L << 20));
        BudgetWatch watch = BudgetWatch.start(server, budget, ServerStats::partialFrameBytes, budget + (64L << 20));
        int peers = 1000;
        List<Socket> sockets = new ArrayList<>();
        try (FrameSocket witness = new FrameSocket(server.localAddress())) {
            for (int i = 0; i < peers; i++) {
                Socket socket = connect(server.localAddress());
                sockets.add(socket);
                // A header announcing the largest frame allowed, and a little of its body.
                socket.getOutputStream().write(ByteBuffer.allocate(4 + 200).putInt(0, MAX_FRAME).array());
            }
            awaitConnectionCount(server, peers + 1);
            waitUntil(() -> server.stats().bytesIn() >= peers * 204L, 30);
            long held = server.stats().partialFrameBytes();
            assertTrue(held <= peers * 512L, "a partial frame holds what arrived, not what was announced: " + held
                    + " bytes for " + peers + " frames of 200 bytes so far");
            AdmissionContract.assertEchoes(witness, "while a thousand frames wait");

            // Half of them grow their frames to 16 KiB each: 8 MiB wanted against a budget of 4.
            for (int i = 0; i < peers / 2; i++) {
                try {
                    sockets.get(i).getOutputStream().write(new byte[16 << 10]);
                } catch (IOException closedMeanwhile) {
                    // The warden may already have closed this one; that is what it is for.
                }
            }
            waitUntil(() -> serverLedger.reasonCount(CloseReason.MEMORY_BUDGET) > 0, 30);
            assertTrue(serverLedger.reasonCount(CloseReason.MEMORY_BUDGET) > 0,
                    "the heaviest holders of a spent budget are closed");
            for (int round = 0; round < 20; round++) {
                AdmissionContract.assertEchoes(witness, "witness round " + round);
            }
            assertTrue(server.connection(idOfWitness(server, witness)).isPresent(), "the witness never pays");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        watch.stopAndAssertWithinBudget();
        awaitPoolEmptyOnceClosed(server);
    }

    @Test
    void repliesNeverReadAreBoundedByTheSendBudgetByTheMemoryTheyHold() throws Exception {
        long budget = 8L << 20;
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .sendBudget(budget));
        BudgetWatch watch = BudgetWatch.start(server, budget, ServerStats::sendQueueBytes,
                budget + DEFAULT_PARTIAL_FRAME_BUDGET);
        int peers = 50;
        byte[] pings = pings(20_000);
        List<Thread> writers = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        try (FrameSocket witness = new FrameSocket(server.localAddress())) {
            for (int i = 0; i < peers; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(server.localAddress());
                sockets.add(socket);
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(pings);
                    } catch (IOException stopped) {
                        // Closed by the server, or at the test's end.
                    }
                }));
            }
            waitUntil(() -> serverLedger.reasonCount(CloseReason.MEMORY_BUDGET) > 0, 60);
            assertTrue(serverLedger.reasonCount(CloseReason.MEMORY_BUDGET) > 0,
                    "peers holding the most unread replies are closed once the budget is spent");
            for (int round = 0; round < 20; round++) {
                AdmissionContract.assertEchoes(witness, "witness round " + round);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        watch.stopAndAssertWithinBudget();
        awaitPoolEmptyOnceClosed(server);
    }

    @Test
    void aFrameBegunAndNotFinishedWithinTheFrameTimeoutEndsItsConnection() throws Exception {
        ManualClock clock = new ManualClock();
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .frameTimeout(Duration.ofSeconds(30))
                .timeoutCheckInterval(Duration.ofMillis(5))
                .clock(clock));
        try (FrameSocket slow = new FrameSocket(server.localAddress());
             FrameSocket witness = new FrameSocket(server.localAddress())) {
            slow.sendRaw(ByteBuffer.allocate(4 + 10).putInt(0, 1000).array());
            waitUntil(() -> server.stats().bytesIn() >= 14, 10);
            clock.awaitReads(2);
            for (int step = 0; step < 14; step++) {
                // One byte every 2 s: the frame moves, but not to its end.
                slow.sendRaw(new byte[]{1});
                AdmissionContract.assertEchoes(witness, "step " + step);
                clock.advanceAndSweep(Duration.ofSeconds(2));
            }
            assertEquals(0, serverLedger.disconnectCount(), "closed before 30 s since the frame began");
            clock.advanceAndSweep(Duration.ofSeconds(2));
            assertTrue(slow.readsEndOfStream(), "closed 30 s after the frame began, trickle or not");
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            assertEquals(1, serverLedger.reasonCount(CloseReason.FRAME_TIMEOUT));
            AdmissionContract.assertEchoes(witness, "the witness, whose frames are whole, stays");
        }
    }

    @Test
    void anAllocationThatFailsEndsOnlyTheConnectionThatAskedForIt() throws Exception {
        BufferPool pool = new BufferPool(BufferPool.DEFAULT_FREE_BYTES_PER_CLASS, true);
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1).bufferPool(pool));
        AtomicBoolean failing = new AtomicBoolean(true);
        pool.failAllocations(size -> failing.get() && size >= 4096);
        try (FrameSocket witness = new FrameSocket(server.localAddress());
             FrameSocket greedy = new FrameSocket(server.localAddress())) {
            AdmissionContract.assertEchoes(witness, "before");
            greedy.sendRaw(ByteBuffer.allocate(4 + 9000).putInt(0, 100_000).array());
            assertTrue(greedy.readsEndOfStream(), "the connection whose frame could not be held ends");
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            assertEquals(1, serverLedger.reasonCount(CloseReason.MEMORY_BUDGET));
            for (int round = 0; round < 10; round++) {
                AdmissionContract.assertEchoes(witness, "the I/O thread goes on: round " + round);
            }
            failing.set(false);
            try (FrameSocket later = new FrameSocket(server.localAddress())) {
                later.send(new byte[50_000]);
                assertEquals(50_000, later.receive().length, "memory back: large frames are held again");
            }
        } finally {
            pool.failAllocations(null);
        }
    }

    private static byte[] pings(int count) {
        ByteBuffer bytes = ByteBuffer.allocate(count * 69);
        for (int i = 0; i < count; i++) {
            bytes.putInt(65).put((byte) 2).put(new byte[64]);
        }
        return bytes.array();
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address);
        return socket;
    }

    private static long idOfWitness(Server server, FrameSocket witness) {
        int port = witness.socket().getLocalPort();
        return server.connections().stream()
                .filter(info -> info.remoteAddress().getPort() == port)
                .findFirst().orElseThrow(() -> new AssertionError("witness not among the connections")).id();
    }

    private void awaitPoolEmptyOnceClosed(Server server) throws InterruptedException {
        waitUntil(() -> server.connectionCount() == 0, 30);
        assertEquals(0, server.connectionCount(), "every hostile connection ended");
        awaitPoolEmpty(server);
        ServerStats stats = server.stats();
        assertEquals(0, stats.partialFrameBytes(), "nothing left charged to the partial-frame budget");
        assertEquals(0, stats.sendQueueBytes(), "nothing left charged to the send budget");
    }

    /**
     * Reads, on a thread of its own and as often as it can, a budget's use by the server's count and everything
     * leased by the pool's own count. The pool's leases are the two budgets' memory plus the receive buffers a
     * transport leases from it, so they are held to the sum of both budgets and a bound for those buffers.
     */
    private static final class BudgetWatch {
        /** More than any receive buffer a transport leases from the pool. */
        private static final long RECEIVE_BUFFER_BOUND = 256 << 10;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong worst = new AtomicLong();
        private final AtomicLong worstPoolExcess = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong samples = new AtomicLong();
        private final Thread thread;
        private final long budget;

        private BudgetWatch(Server server, long budget, ToLongFunction<ServerStats> use, long bothBudgets) {
            this.budget = budget;
            BufferPool pool = server.bufferPool();
            this.thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    worst.accumulateAndGet(use.applyAsLong(server.stats()), Math::max);
                    long allowed = bothBudgets + server.receiveBuffersHeld() * RECEIVE_BUFFER_BOUND;
                    worstPoolExcess.accumulateAndGet(pool.bytesLeased() - allowed, Math::max);
                    samples.incrementAndGet();
                    Thread.onSpinWait();
                }
            });
        }

        static BudgetWatch start(Server server, long budget, ToLongFunction<ServerStats> use, long bothBudgets) {
            return new BudgetWatch(server, budget, use, bothBudgets);
        }

        void stopAndAssertWithinBudget() throws InterruptedException {
            running.set(false);
            thread.join();
            assertTrue(samples.get() > 100, "the budget was watched: " + samples.get() + " samples");
            assertTrue(worst.get() <= budget, "budget " + budget + " passed: " + worst.get());
            assertTrue(worstPoolExcess.get() <= 0, "the pool leased past both budgets and the receive buffers by "
                    + worstPoolExcess.get() + " bytes");
        }
    }
}
