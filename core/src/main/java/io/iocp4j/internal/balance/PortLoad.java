package io.iocp4j.internal.balance;

import io.iocp4j.Balancing;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each port of an engine carries, as any thread may read it: connections, the load its meter measured last,
 * and an estimate for the connections given to it since. Choosing a port for a new connection reads only this.
 * Counts change on the port threads; the figures are each read on their own and may lag a sample.
 */
final class PortLoad {
    private final AtomicIntegerArray connections;
    private final AtomicLongArray measured;
    /** Load expected of connections given to a port since its last sample: they have no measure of their own yet. */
    private final AtomicLongArray expected;
    private final AtomicLong turns = new AtomicLong();

    PortLoad(int ports) {
        connections = new AtomicIntegerArray(ports);
        measured = new AtomicLongArray(ports);
        expected = new AtomicLongArray(ports);
    }

    int ports() {
        return connections.length();
    }

    void added(int port) {
        connections.incrementAndGet(port);
    }

    void removed(int port) {
        connections.decrementAndGet(port);
    }

    int connections(int port) {
        return connections.get(port);
    }

    /** The port's meter took a sample: {@code load} replaces the last one and every estimate made since. */
    void measured(int port, long load) {
        measured.set(port, load);
        expected.set(port, 0);
    }

    /** A connection carrying {@code load} moved: both ports' figures follow at once, before their next samples. */
    void moved(int from, int to, long load) {
        connections.decrementAndGet(from);
        connections.incrementAndGet(to);
        measured.addAndGet(from, -load);
        measured.addAndGet(to, load);
    }

    /** The load a port is carrying or about to carry. */
    long load(int port) {
        return Math.max(0, measured.get(port)) + expected.get(port);
    }

    /** The port for a new connection, which is then counted as expected there. */
    int choose(Balancing mode) {
        int ports = connections.length();
        int start = (int) Math.floorMod(turns.getAndIncrement(), (long) ports);
        if (mode == Balancing.ROUND_ROBIN || ports == 1) {
            return start;
        }
        int best = start;
        for (int i = 1; i < ports; i++) {
            int candidate = (start + i) % ports;
            if (better(mode, candidate, best)) {
                best = candidate;
            }
        }
        if (mode == Balancing.LEAST_LOAD) {
            expected.addAndGet(best, averageLoad());
        }
        return best;
    }

    /**
     * Whether {@code candidate} is better than {@code current} by more than {@code factor}: the test a transport
     * that pays for moving a socket applies before moving a new one off the port that accepted it.
     */
    boolean clearlyBetter(Balancing mode, int candidate, int current, double factor) {
        return switch (mode) {
            case ROUND_ROBIN -> candidate != current;
            case LEAST_CONNECTIONS -> connections(current) > factor * connections(candidate) + 1;
            case LEAST_LOAD -> load(current) > factor * load(candidate) + Rebalancer.MIN_GAP;
        };
    }

    private boolean better(Balancing mode, int candidate, int best) {
        if (mode == Balancing.LEAST_LOAD) {
            long a = load(candidate);
            long b = load(best);
            if (a != b) {
                return a < b;
            }
        }
        return connections(candidate) < connections(best);
    }

    /** The load of an average connection now: what a new one is expected to bring. */
    private long averageLoad() {
        long total = 0;
        long count = 0;
        for (int i = 0; i < connections.length(); i++) {
            total += Math.max(0, measured.get(i));
            count += connections.get(i);
        }
        return count == 0 ? 0 : total / count;
    }
}
