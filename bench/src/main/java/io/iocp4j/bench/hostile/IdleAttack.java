package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Silent connections against a server with an idle timeout: each notes how long after its connect the server closed
 * it. The time starts when the client's handshake completes, which is no later than the server's accept, so a close
 * measured here before the timeout is certainly early.
 */
final class IdleAttack extends ConnectionsAttack {
    private static final long CONNECT_SECONDS = 30;
    /** How long past the timeout a connection waits for its close before it stops waiting. */
    private static final long GRACE_SECONDS = 15;

    private final int timeoutSeconds;
    private final ConcurrentLinkedQueue<Long> closedAfterNanos = new ConcurrentLinkedQueue<>();
    private final AtomicInteger heardIdleTimeout = new AtomicInteger();

    IdleAttack(int connections, int timeoutSeconds) {
        super(connections);
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public List<String> serverFlags() {
        return List.of("--idle-timeout", Integer.toString(timeoutSeconds));
    }

    @Override
    public void attack(int port) throws Exception {
        long waitSeconds = timeoutSeconds + GRACE_SECONDS;
        opened = AttackerConnections.open(port, connections, CONNECT_SECONDS,
                one -> waitForClose(one, waitSeconds));
        opened.awaitWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds + 1));
    }

    private void waitForClose(AttackerConnections.Opened one, long waitSeconds) {
        Socket socket = one.socket();
        try {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(waitSeconds));
            FrameReader reader = new FrameReader(socket.getInputStream());
            // Bounded: a server that sent more than a few frames to a silent peer is wrong anyway.
            for (int i = 0; i < 8; i++) {
                int type = reader.next();
                if (type < 0) {
                    break;
                }
                if (reader.errorCode() == WireFrames.IDLE_TIMEOUT) {
                    heardIdleTimeout.incrementAndGet();
                }
            }
            closedAfterNanos.add(System.nanoTime() - one.connectedNanos());
        } catch (java.net.SocketTimeoutException e) {
            // Never closed: not counted among the closes.
        } catch (IOException e) {
            // Reset: a close all the same.
            closedAfterNanos.add(System.nanoTime() - one.connectedNanos());
        } finally {
            AttackerConnections.closeQuietly(socket);
        }
    }

    @Override
    public String findings() {
        List<Long> closes = List.copyOf(closedAfterNanos);
        if (closes.isEmpty()) {
            return "none closed within " + (timeoutSeconds + GRACE_SECONDS) + " s (timeout " + timeoutSeconds + " s)";
        }
        long earliest = closes.stream().mapToLong(Long::longValue).min().orElseThrow();
        long latest = closes.stream().mapToLong(Long::longValue).max().orElseThrow();
        long early = closes.stream().filter(nanos -> nanos < TimeUnit.SECONDS.toNanos(timeoutSeconds)).count();
        return String.format(Locale.ROOT, "timeout %d s: %d of %d closed, after %.2f to %.2f s; %d early (< %d s);"
                        + " %d heard ERROR 7", timeoutSeconds, closes.size(), connected(), earliest / 1e9,
                latest / 1e9, early, timeoutSeconds, heardIdleTimeout.get());
    }
}
