package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.internal.connection.ConnectionState;
import io.iocp4j.internal.connection.Inbound;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One port's idle, write-stall and frame deadlines, found by a sweep every check interval instead of a timer per
 * connection or per packet. The hot path only counts bytes, as it does anyway; the sweep compares each count with
 * the one it saw last, and a count that has not moved for the timeout means the connection is idle (nothing in or
 * out) or stalled (bytes queued, none written).
 *
 * <p>Port thread only: connections join as they are adopted and leave as they are released on that thread, and
 * the sweep runs there as a port timer.
 */
final class IdleSweeper {
    /** True once the engine shuts down: the shutdown closes every connection itself. */
    private final BooleanSupplier stopped;
    private final CompletionPort port;
    private final Timeouts timeouts;
    private final Runnable tick = this::tick;
    private final List<RealConnection> idle = new ArrayList<>();
    private final List<RealConnection> stalled = new ArrayList<>();
    private final List<RealConnection> slowFrames = new ArrayList<>();

    // Parallel arrays indexed by a connection's sweep index; the last entry moves into a leaver's place.
    private RealConnection[] connections = new RealConnection[64];
    private long[] activitySeen = new long[64];
    private long[] quietSince = new long[64];
    private long[] writtenSeen = new long[64];
    private long[] stuckSince = new long[64];
    private int count;
    /** The clock as the last sweep read it: a joining connection's deadlines start there. */
    private long now;

    IdleSweeper(BooleanSupplier stopped, CompletionPort port, Timeouts timeouts) {
        this.stopped = stopped;
        this.port = port;
        this.timeouts = timeouts;
        this.now = timeouts.clock().getAsLong();
    }

    /** Any thread: the first sweep is due one interval from now. */
    void start() {
        port.schedule(timeouts.checkIntervalNanos(), tick);
    }

    void add(RealConnection connection) {
        if (count == connections.length) {
            int grown = count * 2;
            connections = Arrays.copyOf(connections, grown);
            activitySeen = Arrays.copyOf(activitySeen, grown);
            quietSince = Arrays.copyOf(quietSince, grown);
            writtenSeen = Arrays.copyOf(writtenSeen, grown);
            stuckSince = Arrays.copyOf(stuckSince, grown);
        }
        int index = count++;
        // The clock now, not the last sweep's time: a connection's quiet time must not begin before it exists, or
        // its idle timeout would fire up to one check interval early.
        long joined = timeouts.clock().getAsLong();
        connections[index] = connection;
        activitySeen[index] = connection.bytesIn() + connection.bytesOut();
        quietSince[index] = joined;
        writtenSeen[index] = connection.bytesOut();
        stuckSince[index] = joined;
        connection.sweepIndex(index);
    }

    void remove(RealConnection connection) {
        int index = connection.sweepIndex();
        if (index < 0 || index >= count || connections[index] != connection) {
            throw new IllegalStateException("connection=" + connection.id() + " is not swept here: index=" + index);
        }
        int last = --count;
        if (index != last) {
            RealConnection moved = connections[last];
            connections[index] = moved;
            activitySeen[index] = activitySeen[last];
            quietSince[index] = quietSince[last];
            writtenSeen[index] = writtenSeen[last];
            stuckSince[index] = stuckSince[last];
            moved.sweepIndex(index);
        }
        connections[last] = null;
        connection.sweepIndex(-1);
    }

    private void tick() {
        if (stopped.getAsBoolean()) {
            // The shutdown closes every connection itself; no more sweeps.
            return;
        }
        try {
            now = timeouts.clock().getAsLong();
            for (int i = 0; i < count; i++) {
                sweep(i);
            }
            // Closed after the sweep, since a close may release a connection and reorder the arrays.
            for (RealConnection connection : stalled) {
                connection.closeWith(CloseReason.WRITE_TIMEOUT);
            }
            for (RealConnection connection : slowFrames) {
                connection.inbound().stop();
                connection.closeWith(CloseReason.FRAME_TIMEOUT);
            }
            for (RealConnection connection : idle) {
                connection.idleTimedOut();
            }
        } finally {
            stalled.clear();
            slowFrames.clear();
            idle.clear();
            // Whatever went wrong in this sweep, the next one is due: timeouts must not stop for good.
            port.schedule(timeouts.checkIntervalNanos(), tick);
        }
    }

    private void sweep(int i) {
        RealConnection connection = connections[i];
        int state = connection.state();
        if (state >= ConnectionState.CLOSED) {
            return;
        }
        long written = connection.bytesOut();
        if (timeouts.writeStallNanos() > 0) {
            if (written != writtenSeen[i] || connection.queuedBytes() == 0) {
                writtenSeen[i] = written;
                stuckSince[i] = now;
            } else if (now - stuckSince[i] >= timeouts.writeStallNanos()) {
                stalled.add(connection);
                return;
            }
        }
        if (timeouts.frameNanos() > 0 && state == ConnectionState.OPEN && frameTooSlow(connection)) {
            slowFrames.add(connection);
            return;
        }
        long activity = connection.bytesIn() + written;
        if (activity != activitySeen[i]) {
            activitySeen[i] = activity;
            quietSince[i] = now;
        } else if (timeouts.idleNanos() > 0 && state == ConnectionState.OPEN
                && now - quietSince[i] >= timeouts.idleNanos()) {
            idle.add(connection);
        }
    }

    /**
     * True when the connection's pending frame began at least the frame timeout ago. While this side holds its
     * reading (a pause for back-pressure, a move, the memory budget) the peer is not to blame: the frame's clock
     * starts again.
     */
    private boolean frameTooSlow(RealConnection connection) {
        Inbound reading = connection.inbound();
        long since = reading.partialFrameSince();
        if (since == Inbound.NO_PARTIAL_FRAME) {
            return false;
        }
        if (reading.heldBySelf()) {
            reading.restartFrameClock(now);
            return false;
        }
        return now - since >= timeouts.frameNanos();
    }

    /** Connections swept here now. */
    int size() {
        return count;
    }
}
