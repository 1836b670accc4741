package io.iocp4j.bench.hostile;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * One well-behaved connection beside the attackers: a PING every {@link #PERIOD_MILLIS}, one at a time, and the
 * time until its PONG. A PING still unanswered when the witness stops counts as a round trip of at least its wait so
 * far, so a server that stops serving shows a long worst round trip rather than none.
 */
final class Witness implements AutoCloseable {
    static final long PERIOD_MILLIS = 50;
    /** Pings at most this many, whatever the attack's length (an hour at the period). */
    private static final int MOST_PINGS = 72_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    /** Round trips in microseconds, up to an hour. */
    private final Histogram roundTrips = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    private final Socket socket = new Socket();
    private final Thread thread;
    /** When the PING now in flight was sent, or 0 when none is. */
    private volatile long sentAt;
    private volatile boolean stopped;
    private volatile String failure;
    private long unansweredMicros;

    /** What the witness saw. */
    record Result(long answered, long worstMicros, long p99Micros, long unansweredMicros, String failure) {
        /** The worst round trip, counting a PING never answered. */
        long worstOrUnansweredMicros() {
            return Math.max(worstMicros, unansweredMicros);
        }
    }

    Witness(int port) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
        thread = Thread.ofVirtual().name("witness").start(this::pingUntilStopped);
    }

    private void pingUntilStopped() {
        byte[] ping = WireFrames.frame(WireFrames.PING, new byte[8]);
        try {
            OutputStream out = socket.getOutputStream();
            FrameReader in = new FrameReader(socket.getInputStream());
            for (int i = 0; i < MOST_PINGS && !stopped; i++) {
                long start = System.nanoTime();
                sentAt = start;
                out.write(ping);
                int type;
                do {
                    type = in.next();
                } while (type >= 0 && type != WireFrames.PONG && type != WireFrames.ERROR);
                if (type != WireFrames.PONG) {
                    failure = type < 0 ? "closed by the server" : "ERROR " + in.errorCode();
                    return;
                }
                long took = System.nanoTime() - start;
                sentAt = 0;
                synchronized (roundTrips) {
                    roundTrips.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(took),
                            roundTrips.getHighestTrackableValue()));
                }
                long rest = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS) - took;
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
        } catch (IOException e) {
            if (!stopped) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops pinging (a PING in flight is counted as unanswered) and closes the connection. */
    Result stop() throws InterruptedException {
        stopped = true;
        long pending = sentAt;
        if (pending != 0) {
            unansweredMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - pending);
        }
        close();
        thread.join(5000);
        synchronized (roundTrips) {
            return new Result(roundTrips.getTotalCount(), roundTrips.getMaxValue(),
                    roundTrips.getValueAtPercentile(99), unansweredMicros, failure);
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
