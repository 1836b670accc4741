package io.iocp4j.internal.balance;

import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Every interval, compares the ports' loads and moves connections from the busiest to the least busy port until
 * they are balanced. A move happens only when the busiest port carries more than {@code factor} times the least
 * busy one's load (and more than {@link #MIN_GAP} above it), and only a connection whose move shrinks the gap
 * between the two by at least a quarter: moving a connection that would just make the other port the busiest is
 * never worth it, and a connection does not bounce between two ports.
 *
 * <p>The plan is made from the meters' last samples, on the thread of the port this runs on; each move is carried
 * out by the port the connection is on.
 */
final class Rebalancer {
    /** Load (bytes a second, packets counted as {@link LoadMeter#PACKET_WEIGHT}) below which nothing is moved. */
    static final long MIN_GAP = 256 << 10;
    /** The share of the gap a move must take away at least. */
    static final double MIN_GAIN = 0.25;

    /** A connection to move, and where. */
    record Move(int from, int to, RealConnection connection, long load) {
    }

    /** True once the engine shuts down: no more rounds. */
    private final BooleanSupplier stopped;
    private final CompletionPort[] ports;
    private final CompletionPort home;
    private final LoadMeter[] meters;
    private final long intervalNanos;
    private final double factor;
    private final Runnable tick = this::tick;

    Rebalancer(BooleanSupplier stopped, CompletionPort[] ports, LoadMeter[] meters, long intervalNanos,
               double factor) {
        this.stopped = stopped;
        this.ports = ports;
        this.home = ports[0];
        this.meters = meters;
        this.intervalNanos = intervalNanos;
        this.factor = factor;
    }

    void start() {
        home.schedule(intervalNanos, tick);
    }

    private void tick() {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            LoadMeter.Sample[] samples = new LoadMeter.Sample[meters.length];
            for (int i = 0; i < meters.length; i++) {
                samples[i] = meters[i].latest();
            }
            for (Move move : plan(samples, factor)) {
                LoadMeter from = meters[move.from()];
                ports[move.from()].execute(() -> from.move(move.connection(), move.to()));
            }
        } finally {
            home.schedule(intervalNanos, tick);
        }
    }

    /**
     * The moves that balance the ports, greedily: while the busiest and least busy ports are out of balance, the
     * busiest port's connection whose move leaves the smallest gap between the two goes to the least busy one.
     */
    static List<Move> plan(LoadMeter.Sample[] samples, double factor) {
        int ports = samples.length;
        long[] loads = new long[ports];
        boolean[][] taken = new boolean[ports][];
        for (int i = 0; i < ports; i++) {
            loads[i] = samples[i].load();
            taken[i] = new boolean[samples[i].heaviest().length];
        }
        List<Move> moves = new ArrayList<>();
        for (int round = 0; round < ports * LoadMeter.HEAVIEST; round++) {
            int busiest = 0;
            int idlest = 0;
            for (int i = 1; i < ports; i++) {
                if (loads[i] > loads[busiest]) {
                    busiest = i;
                }
                if (loads[i] < loads[idlest]) {
                    idlest = i;
                }
            }
            long gap = loads[busiest] - loads[idlest];
            if (gap < MIN_GAP || loads[busiest] <= factor * loads[idlest]) {
                break;
            }
            int chosen = bestCandidate(samples[busiest], taken[busiest], gap);
            if (chosen < 0) {
                break;
            }
            taken[busiest][chosen] = true;
            long load = samples[busiest].loads()[chosen];
            loads[busiest] -= load;
            loads[idlest] += load;
            moves.add(new Move(busiest, idlest, samples[busiest].heaviest()[chosen], load));
        }
        return moves;
    }

    /** The index of the connection whose move leaves the smallest gap, if it shrinks it enough; else -1. */
    private static int bestCandidate(LoadMeter.Sample sample, boolean[] taken, long gap) {
        int best = -1;
        long bestGap = (long) (gap * (1 - MIN_GAIN));
        for (int i = 0; i < sample.loads().length; i++) {
            if (taken[i]) {
                continue;
            }
            long after = Math.abs(gap - 2 * sample.loads()[i]);
            if (after < bestGap || (after == bestGap && best >= 0 && sample.loads()[i] > sample.loads()[best])) {
                best = i;
                bestGap = after;
            }
        }
        return best;
    }
}
