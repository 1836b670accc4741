package io.iocp4j.cli;

import io.iocp4j.Connection;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code --ping N}: N PINGs one at a time, each carrying its 8-byte sequence number, each waiting for its PONG;
 * then the round trips' minimum, median and 99th percentile.
 */
final class PingSession {
    static final long PONG_WAIT_SECONDS = 5;

    private final Connection connection;
    private final ClientEvents events;
    private final PrintStream output;
    private final int count;

    PingSession(Connection connection, ClientEvents events, PrintStream output, int count) {
        this.connection = connection;
        this.events = events;
        this.output = output;
        this.count = count;
    }

    int run() throws InterruptedException {
        long[] roundTrips = new long[count];
        ByteBuffer body = ByteBuffer.allocate(8);
        for (int i = 0; i < count; i++) {
            body.putLong(0, i);
            long sent = System.nanoTime();
            long deadline = sent + TimeUnit.SECONDS.toNanos(PONG_WAIT_SECONDS);
            if (!connection.send(Messages.typed(MessageType.PING, body.array()))) {
                System.err.println("iocp4j: the connection to the server has ended");
                return Main.FAILED;
            }
            Integer failure = awaitPong(i, deadline);
            if (failure != null) {
                return failure;
            }
            roundTrips[i] = System.nanoTime() - sent;
        }
        Arrays.sort(roundTrips);
        output.printf("%d pings: min %d us, median %d us, p99 %d us%n", count, micros(roundTrips[0]),
                micros(percentile(roundTrips, 50)), micros(percentile(roundTrips, 99)));
        output.flush();
        return Main.OK;
    }

    /** Waits for the PONG of PING {@code sequence}; null when it came, else the exit code. */
    private Integer awaitPong(long sequence, long deadline) throws InterruptedException {
        for (;;) {
            ClientEvents.Event event = events.next(deadline - System.nanoTime());
            switch (event) {
                case null -> {
                    System.err.println("iocp4j: no PONG for PING " + sequence + " within " + PONG_WAIT_SECONDS + " s");
                    return Main.FAILED;
                }
                case ClientEvents.Message pong when pong.type() == MessageType.PONG -> {
                    if (pong.body().length == 8 && ByteBuffer.wrap(pong.body()).getLong() == sequence) {
                        return null;
                    }
                    System.err.println("iocp4j: PONG for PING " + sequence + " did not carry the PING's body");
                    return Main.FAILED;
                }
                case ClientEvents.Message error when error.type() == MessageType.ERROR -> {
                    return ClientEvents.reportError(error);
                }
                case ClientEvents.Message _ -> {
                    // Nothing else was asked for; it does not answer the PING.
                }
                case ClientEvents.Closed closed -> {
                    return ClientEvents.reportClosed(closed);
                }
                case ClientEvents.InputEnded _ -> {
                    // Standard input is not read when pinging.
                }
            }
        }
    }

    /** The nearest-rank percentile of sorted values: the smallest value with {@code p} percent at or below it. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
