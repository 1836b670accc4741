package io.iocp4j.ops;

import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;

/**
 * The last five minutes of a server, one point a second: connections open and the rates of bytes, packets,
 * accepts and rejections, as the deltas between consecutive samples. Kept as columns, the shape the dashboard's
 * charts take. One sampling thread adds; any thread reads.
 */
final class RateHistory {
    static final int POINTS = 300;

    private final long[] timeMillis = new long[POINTS];
    private final long[] open = new long[POINTS];
    private final double[] bytesIn = new double[POINTS];
    private final double[] bytesOut = new double[POINTS];
    private final double[] packetsIn = new double[POINTS];
    private final double[] packetsOut = new double[POINTS];
    private final double[] accepted = new double[POINTS];
    private final double[] rejected = new double[POINTS];
    /** The next point's index in the ring, and how many points it holds. */
    private int next;
    private int size;
    private ServerStats previous;
    private long previousNanos;

    /** Adds the point of {@code stats} taken at {@code nowNanos} (monotonic) and {@code nowMillis} (wall clock). */
    synchronized void add(ServerStats stats, long nowNanos, long nowMillis) {
        if (previous != null && nowNanos > previousNanos) {
            double seconds = (nowNanos - previousNanos) / 1e9;
            timeMillis[next] = nowMillis;
            open[next] = stats.connectionsNow();
            bytesIn[next] = rate(stats.bytesIn(), previous.bytesIn(), seconds);
            bytesOut[next] = rate(stats.bytesOut(), previous.bytesOut(), seconds);
            packetsIn[next] = rate(stats.packetsIn(), previous.packetsIn(), seconds);
            packetsOut[next] = rate(stats.packetsOut(), previous.packetsOut(), seconds);
            accepted[next] = rate(stats.accepted(), previous.accepted(), seconds);
            rejected[next] = rate(rejectedTotal(stats), rejectedTotal(previous), seconds);
            next = (next + 1) % POINTS;
            size = Math.min(size + 1, POINTS);
        }
        previous = stats;
        previousNanos = nowNanos;
    }

    /**
     * Writes the points newer than {@code afterMillis} (0: all) as an object of columns, oldest first: {@code t}
     * (seconds since the epoch), {@code open}, {@code bytesIn}, {@code bytesOut}, {@code packetsIn},
     * {@code packetsOut}, {@code accepted}, {@code rejected}.
     */
    synchronized JsonWriter write(JsonWriter json, long afterMillis) {
        int first = (next - size + POINTS) % POINTS;
        int skip = 0;
        while (skip < size && timeMillis[(first + skip) % POINTS] <= afterMillis) {
            skip++;
        }
        int start = (first + skip) % POINTS;
        int count = size - skip;
        json.beginObject();
        json.name("t").beginArray();
        for (int i = 0; i < count; i++) {
            json.value(timeMillis[(start + i) % POINTS] / 1000.0);
        }
        json.endArray().name("open").beginArray();
        for (int i = 0; i < count; i++) {
            json.value(open[(start + i) % POINTS]);
        }
        json.endArray();
        column(json, "bytesIn", bytesIn, start, count);
        column(json, "bytesOut", bytesOut, start, count);
        column(json, "packetsIn", packetsIn, start, count);
        column(json, "packetsOut", packetsOut, start, count);
        column(json, "accepted", accepted, start, count);
        column(json, "rejected", rejected, start, count);
        return json.endObject();
    }

    private static void column(JsonWriter json, String name, double[] values, int start, int count) {
        json.name(name).beginArray();
        for (int i = 0; i < count; i++) {
            // Whole units per second are precise enough for a chart and keep the JSON short.
            json.value(Math.round(values[(start + i) % POINTS]));
        }
        json.endArray();
    }

    private static double rate(long now, long before, double seconds) {
        return Math.max(0, now - before) / seconds;
    }

    private static long rejectedTotal(ServerStats stats) {
        long total = 0;
        for (RejectReason reason : RejectReason.values()) {
            total += stats.rejected(reason);
        }
        return total;
    }
}
