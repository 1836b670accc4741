package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections that send requests with replies as fast as the server takes them and never read a reply: every reply
 * the server accepts to send waits in its memory, since the peer's receive window fills and stays full.
 */
final class NeverReadAttack extends ConnectionsAttack {
    private static final long CONNECT_SECONDS = 30;

    /** What each write sends: a batch of whole frames. */
    private final byte[] batch;
    /** Writes per connection at most. */
    private final long batches;
    private final int seconds;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private volatile boolean stopped;

    /** Each connection sends {@code pings} 69-byte PINGs (in batches of a thousand) within the time, and holds on. */
    static NeverReadAttack pings(int connections, int pings, int seconds) {
        int perBatch = Math.min(1000, pings);
        return new NeverReadAttack(connections, WireFrames.pings(perBatch, WireFrames.LONGEST_PING_BODY),
                Math.ceilDiv(pings, perBatch), seconds);
    }

    /** Each connection sends 64 KiB TEXT frames (length field 65,536) for the time given. */
    static NeverReadAttack texts(int connections, int seconds) {
        return new NeverReadAttack(connections, WireFrames.text((64 << 10) - 1), Long.MAX_VALUE, seconds);
    }

    private NeverReadAttack(int connections, byte[] batch, long batches, int seconds) {
        super(connections);
        this.batch = batch;
        this.batches = batches;
        this.seconds = seconds;
    }

    @Override
    public void attack(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        opened = AttackerConnections.open(port, connections, CONNECT_SECONDS, one -> write(one, deadline));
        // Lasts the whole time even when every connection has sent all it had to: the server holds the replies only
        // while the connections that never read them are open.
        opened.awaitWorkers(deadline);
        long rest = deadline - System.nanoTime();
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest);
        }
    }

    private void write(AttackerConnections.Opened one, long deadline) {
        try {
            OutputStream out = one.socket().getOutputStream();
            // A write blocked on a full window returns only when the server reads or the connection closes: leave()
            // closes it, so this loop ends even when the server never reads again.
            for (long i = 0; i < batches && !stopped && System.nanoTime() < deadline; i++) {
                out.write(batch);
                bytesSent.addAndGet(batch.length);
            }
        } catch (IOException e) {
            if (!stopped) {
                closedByServer.incrementAndGet();
            }
        }
    }

    @Override
    public void leave() throws InterruptedException {
        stopped = true;
        if (opened != null) {
            opened.closeAll();
            opened.awaitWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Override
    public String findings() {
        return String.format(java.util.Locale.ROOT, "sent %.0f MiB in all; %d connections closed by the server%s",
                bytesSent.get() / 1048576.0, closedByServer.get(), failuresSuffix());
    }
}
