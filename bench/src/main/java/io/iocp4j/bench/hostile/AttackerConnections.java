package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An attack's connections, each a blocking socket (its work runs on virtual threads, so thousands cost little).
 * Opened a few dozen at a time: a burst of thousands of SYNs overflows the server's accept backlog, and the dropped
 * ones would come back only after the kernel's retransmission delay, which would measure the backlog, not the server.
 */
final class AttackerConnections {
    private static final int CONNECTING_AT_ONCE = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** A connection and when its handshake completed. */
    record Opened(int index, Socket socket, long connectedNanos) {
    }

    private final List<Opened> opened = new ArrayList<>();
    /** The threads running each connection's work. */
    private final List<Thread> workers = new ArrayList<>();
    private final int asked;
    private int failed;
    private String firstFailure;

    private AttackerConnections(int asked) {
        this.asked = asked;
    }

    /**
     * Opens {@code count} connections to 127.0.0.1:{@code port}, giving up on those not open within
     * {@code deadlineSeconds}; {@code onOpen} runs for each as soon as it is open (on a virtual thread of its own).
     */
    static AttackerConnections open(int port, int count, long deadlineSeconds, Consumer<Opened> onOpen)
            throws InterruptedException {
        AttackerConnections connections = new AttackerConnections(count);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds);
        Semaphore slots = new Semaphore(CONNECTING_AT_ONCE);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.MILLISECONDS)) {
                    connections.failed(count - i, "not opened within " + deadlineSeconds + " s");
                    break;
                }
                int index = i;
                executor.submit(() -> {
                    Socket socket = new Socket();
                    try {
                        socket.connect(address, (int) Math.max(1, Math.min(CONNECT_TIMEOUT_MILLIS,
                                TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                        Opened one = new Opened(index, socket, System.nanoTime());
                        connections.add(one);
                        slots.release();
                        // Not on this task: the executor's close waits for its tasks, and an attacker's work lasts.
                        connections.started(Thread.ofVirtual().name("attacker-" + index)
                                .start(() -> onOpen.accept(one)));
                    } catch (IOException e) {
                        slots.release();
                        connections.failed(1, e.getClass().getSimpleName() + ": " + e.getMessage());
                        closeQuietly(socket);
                    }
                });
            }
        }
        return connections;
    }

    private synchronized void add(Opened one) {
        opened.add(one);
    }

    private synchronized void started(Thread worker) {
        workers.add(worker);
    }

    /** Waits for every connection's work to end, until the deadline (a {@link System#nanoTime()}); true if all did. */
    boolean awaitWorkers(long deadlineNanos) throws InterruptedException {
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(workers);
        }
        for (Thread worker : all) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0 || !worker.join(java.time.Duration.ofMillis(left))) {
                return false;
            }
        }
        return true;
    }

    private synchronized void failed(int count, String why) {
        failed += count;
        if (firstFailure == null) {
            firstFailure = why;
        }
    }

    synchronized List<Opened> opened() {
        return List.copyOf(opened);
    }

    synchronized int connected() {
        return opened.size();
    }

    int asked() {
        return asked;
    }

    /** "" when every connection opened, or how many did not and why the first did not. */
    synchronized String failures() {
        return failed == 0 ? "" : failed + " not opened (" + firstFailure + ")";
    }

    /** Closes every connection the ordinary way (FIN, or RST when unread data is left). */
    void closeAll() {
        opened().forEach(one -> closeQuietly(one.socket()));
    }

    /** Closes every connection with a reset (SO_LINGER 0): the way a peer that vanishes ends. */
    void resetAll() {
        for (Opened one : opened()) {
            reset(one.socket());
        }
    }

    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Already closed: nothing to reset.
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
