package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.internal.memory.MemoryBudgets;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * Keeps the engine's memory budgets from being spent by a few connections at the cost of all the others. For a
 * budget past its high mark, it ranks the connections by what they hold of it and makes the heaviest, enough of
 * them to come down to the low mark, pay: first their reading is held (a peer trickling a huge frame stops growing
 * it; a peer that does not read its replies stops being sent more), and if for a second the budget stays past
 * its mark and a held connection has not given back any of what it held (its peer does not read; a frame cannot
 * grow while its reading is held), it is closed with {@link CloseReason#MEMORY_BUDGET}. A held connection whose
 * peer reads its replies is only slowed, never closed. Once both budgets are back under their high marks, held
 * connections read again.
 *
 * <p>A charge that takes a budget past its high mark wakes the warden at once, so the heaviest are held within a
 * moment; they are closed no sooner than the next tick. The ranking scans every connection, but only while a
 * budget is past its high mark; otherwise a tick costs two reads. Runs on the first port's thread.
 */
final class BudgetWarden {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Ticks a held connection may give nothing back before it is closed: a second, so that a peer that reads, on a
     * busy machine, is not taken for one that does not.
     */
    static final long PATIENCE_TICKS = 10;

    /** True once the engine shuts down: the shutdown closes every connection itself. */
    private final BooleanSupplier stopped;
    private final CompletionPort port;
    private final ConnectionTable table;
    private final Runnable tick = this::tick;
    private final Runnable enforceNow = this::enforceNow;
    private final AtomicBoolean wakePosted = new AtomicBoolean();
    /** Connections whose reading this warden holds; this thread only. */
    private final Map<RealConnection, Hold> held = new IdentityHashMap<>();

    /** When a connection was held, and what it held of the budget then. */
    private record Hold(long tick, long amount) {
    }
    private long ticks;

    /** Replaced before the first listener opens or connect starts; read on each look. */
    private volatile MemoryBudget partialFrames;
    private volatile MemoryBudget sends;

    BudgetWarden(BooleanSupplier stopped, CompletionPort port, ConnectionTable table) {
        this.stopped = stopped;
        this.port = port;
        this.table = table;
        apply(new MemoryBudgets(MemoryBudgets.DEFAULT_PARTIAL_FRAME_BYTES, MemoryBudgets.DEFAULT_SEND_BYTES));
    }

    /**
     * Caps the memory all connections together may hold in partial frames and in send queues; a charge past a
     * budget's high mark wakes this warden. Called before the first listener opens or connect starts.
     */
    void apply(MemoryBudgets budgets) {
        MemoryBudget partial = new MemoryBudget("partialFrameBudget", budgets.partialFrameBytes());
        MemoryBudget send = new MemoryBudget("sendBudget", budgets.sendQueueBytes());
        partial.whenPastHighMark(this::wake);
        send.whenPastHighMark(this::wake);
        this.partialFrames = partial;
        this.sends = send;
    }

    MemoryBudget partialFrames() {
        return partialFrames;
    }

    MemoryBudget sends() {
        return sends;
    }

    void start() {
        port.schedule(TICK_NANOS, tick);
    }

    /** Any thread, from a charge that took a budget past its high mark: the warden looks at once. */
    void wake() {
        if (wakePosted.compareAndSet(false, true)) {
            port.execute(enforceNow);
        }
    }

    private void tick() {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            ticks++;
            enforceNow();
        } finally {
            port.schedule(TICK_NANOS, tick);
        }
    }

    private void enforceNow() {
        wakePosted.set(false);
        if (stopped.getAsBoolean()) {
            return;
        }
        enforce(partialFrames, connection -> connection.inbound().receiveMemoryHeld());
        enforce(sends, connection -> connection.outbound().memoryHeld());
        if (!held.isEmpty() && !partialFrames.overHighMark() && !sends.overHighMark()) {
            for (RealConnection connection : held.keySet()) {
                connection.runOnPort(() -> connection.inbound().holdForBudget(false));
            }
            held.clear();
        }
    }

    private void enforce(MemoryBudget budget, ToLongFunction<RealConnection> holding) {
        if (!budget.overHighMark()) {
            return;
        }
        List<RealConnection> connections = table.snapshot();
        long[] amounts = new long[connections.size()];
        Integer[] order = new Integer[connections.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = holding.applyAsLong(connections.get(i));
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(amounts[b], amounts[a]));
        long excess = budget.excess();
        List<RealConnection> toClose = new ArrayList<>();
        for (int index : order) {
            if (excess <= 0 || amounts[index] == 0) {
                break;
            }
            RealConnection connection = connections.get(index);
            if (!connection.isOpen()) {
                continue;
            }
            Hold hold = held.get(connection);
            if (hold == null) {
                held.put(connection, new Hold(ticks, amounts[index]));
                connection.runOnPort(() -> connection.inbound().holdForBudget(true));
            } else if (amounts[index] < hold.amount()) {
                // It gives memory back (its peer reads): it is only slowed, and its patience starts again.
                held.put(connection, new Hold(ticks, amounts[index]));
            } else if (ticks - hold.tick() >= PATIENCE_TICKS) {
                // Held for a while, still among the heaviest while the budget is spent, and nothing of it given
                // back since: it pays.
                held.remove(connection);
                toClose.add(connection);
            }
            excess -= amounts[index];
        }
        for (RealConnection connection : toClose) {
            connection.closeWith(CloseReason.MEMORY_BUDGET);
        }
        held.keySet().removeIf(connection -> !connection.isOpen());
    }
}
