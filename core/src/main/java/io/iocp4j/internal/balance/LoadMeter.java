package io.iocp4j.internal.balance;

import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * One port's connections and the load each carries. The hot path only counts bytes and packets, as it does
 * anyway; every sample the port thread turns each connection's counts since the last sample into a rate, folds it
 * into the connection's decaying average, publishes the port's total in {@link PortLoad}, and (for the rebalancer)
 * the few heaviest connections.
 *
 * <p>Port thread only, except {@link #latest()}: connections join as they start or arrive and leave as they are
 * released or move away on that thread, and the sample runs there as a port timer.
 */
final class LoadMeter {
    static final long SAMPLE_MILLIS = 100;
    static final long SAMPLE_NANOS = SAMPLE_MILLIS * 1_000_000L;
    /** A packet counts as this many bytes of load: per packet work (a completion, a decode, a handler call). */
    static final long PACKET_WEIGHT = 1024;
    /** Connections offered to the rebalancer per port and sample. */
    static final int HEAVIEST = 8;

    /** A port's load at one sample and its heaviest connections, heaviest first. */
    record Sample(int port, long load, RealConnection[] heaviest, long[] loads) {
        static Sample empty(int port) {
            return new Sample(port, 0, new RealConnection[0], new long[0]);
        }
    }

    /** True once the engine shuts down: no more samples. */
    private final BooleanSupplier stopped;
    private final int portIndex;
    private final CompletionPort port;
    private final PortLoad loads;
    private volatile boolean collectHeaviest;
    private final Runnable tick = this::tick;
    private RealConnection[] members = new RealConnection[64];
    private int count;
    private long lastSample;
    private volatile Sample latest;

    LoadMeter(BooleanSupplier stopped, int portIndex, CompletionPort port, PortLoad loads) {
        this.stopped = stopped;
        this.portIndex = portIndex;
        this.port = port;
        this.loads = loads;
        this.latest = Sample.empty(portIndex);
    }

    /**
     * Any thread: the first sample is due one interval from now. {@code collectHeaviest}: each sample also keeps
     * the port's heaviest connections, for a rebalancer.
     */
    void start(boolean collectHeaviest) {
        this.collectHeaviest = collectHeaviest;
        port.execute(() -> lastSample = System.nanoTime());
        port.schedule(SAMPLE_NANOS, tick);
    }

    void add(RealConnection connection) {
        if (count == members.length) {
            members = Arrays.copyOf(members, count * 2);
        }
        connection.meterIndex(count);
        members[count++] = connection;
    }

    void remove(RealConnection connection) {
        int index = connection.meterIndex();
        if (index < 0 || index >= count || members[index] != connection) {
            throw new IllegalStateException("connection=" + connection.id() + " is not measured here: index=" + index);
        }
        RealConnection last = members[--count];
        members[index] = last;
        last.meterIndex(index);
        members[count] = null;
        connection.meterIndex(-1);
    }

    /** Connections measured here now. */
    int size() {
        return count;
    }

    /** Any thread: the last sample. */
    Sample latest() {
        return latest;
    }

    /**
     * Port thread: the rebalancer chose {@code connection} to move to {@code target}. It may have closed or left
     * since; then nothing happens.
     */
    void move(RealConnection connection, int target) {
        int index = connection.meterIndex();
        if (connection.port() == port && index >= 0 && index < count && members[index] == connection) {
            connection.moveTo(target);
        }
    }

    private void tick() {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            sample();
        } finally {
            port.schedule(SAMPLE_NANOS, tick);
        }
    }

    private void sample() {
        long now = System.nanoTime();
        long interval = Math.max(1, now - lastSample);
        lastSample = now;
        boolean collecting = collectHeaviest;
        RealConnection[] heaviest = collecting ? new RealConnection[Math.min(HEAVIEST, count)] : null;
        long[] heaviestLoads = collecting ? new long[heaviest.length] : null;
        int kept = 0;
        long total = 0;
        for (int i = 0; i < count; i++) {
            RealConnection connection = members[i];
            long load = connection.sampleLoad(PACKET_WEIGHT, interval);
            total += load;
            if (heaviest != null && heaviest.length > 0 && !connection.moving()) {
                kept = keepIfHeavy(heaviest, heaviestLoads, kept, connection, load);
            }
        }
        loads.measured(portIndex, total);
        if (collecting) {
            latest = new Sample(portIndex, total, Arrays.copyOf(heaviest, kept), Arrays.copyOf(heaviestLoads, kept));
        }
    }

    /** Inserts {@code connection} into the sorted top list if it is among the heaviest; returns the list's size. */
    private static int keepIfHeavy(RealConnection[] top, long[] topLoads, int size, RealConnection connection,
                                  long load) {
        if (size == top.length && load <= topLoads[size - 1]) {
            return size;
        }
        int at = size == top.length ? size - 1 : size;
        while (at > 0 && topLoads[at - 1] < load) {
            top[at] = top[at - 1];
            topLoads[at] = topLoads[at - 1];
            at--;
        }
        top[at] = connection;
        topLoads[at] = load;
        return size == top.length ? size : size + 1;
    }
}
