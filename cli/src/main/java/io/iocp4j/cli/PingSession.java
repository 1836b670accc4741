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
    /** What {@link #awaitPong} says when the connection ended first: a value no exit code has. */
    private static final Integer LOST = -1;

    private final ClientEvents events;
    private final PrintStream output;
    private final int count;
    /** Brings a lost connection back, or null to fail when it is lost. */
    private final Reconnector reconnector;
    private Connection connection;
    private int reconnects;

    PingSession(Connection connection, ClientEvents events, PrintStream output, int count, Reconnector reconnector) {
        this.connection = connection;
        this.events = events;
        this.output = output;
        this.count = count;
        this.reconnector = reconnector;
    }

    int run() throws InterruptedException {
        long[] roundTrips = new long[count];
        ByteBuffer body = ByteBuffer.allocate(8);
        for (int i = 0; i < count; i++) {
            body.putLong(0, i);
            long sent = System.nanoTime();
            long deadline = sent + TimeUnit.SECONDS.toNanos(PONG_WAIT_SECONDS);
            Integer failure = connection.send(Messages.typed(MessageType.PING, body.array()))
                    ? awaitPong(i, deadline) : LOST;
            if (failure == LOST && reconnector != null) {
                // The PING went with the connection: it is sent again on the next one.
                connection.close();
                connection = reconnector.connect();
                reconnects++;
                i--;
                continue;
            }
            if (failure == LOST) {
                System.err.println("iocp4j: the connection to the server has ended");
                return Main.FAILED;
            }
            if (failure != null) {
                return failure;
            }
            roundTrips[i] = System.nanoTime() - sent;
        }
        Arrays.sort(roundTrips);
        output.printf("%d pings: min %d us, median %d us, p99 %d us%s%n", count, micros(roundTrips[0]),
                micros(percentile(roundTrips, 50)), micros(percentile(roundTrips, 99)),
                reconnector == null ? "" : ", " + reconnects + " reconnects");
        output.flush();
        return Main.OK;
    }

    /** Waits for the PONG of PING {@code sequence}; null when it came, {@link #LOST}, or else the exit code. */
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
                    if (reconnector != null && ClientEvents.isShuttingDown(error)) {
                        // The server is going away; the close that follows is a lost connection.
                        continue;
                    }
                    return ClientEvents.reportError(error);
                }
                case ClientEvents.Message _ -> {
                    // Nothing else was asked for; it does not answer the PING.
                }
                case ClientEvents.Closed closed -> {
                    if (reconnector != null) {
                        System.err.println("iocp4j: connection lost (" + closed.reason() + "); reconnecting");
                        return LOST;
                    }
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
