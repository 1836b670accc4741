package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * Keeps the engine's memory budgets from being spent by a few connections at the cost of all the others. For a
 * budget past its high mark, it ranks the connections by what they hold of it and makes the heaviest, enough of
 * them to come down to the low mark, pay: first their reading is held (a peer trickling a huge frame stops growing
 * it; a peer that does not read its replies stops being sent more), and if on a later tick the budget is still past
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

    private final Engine engine;
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

    BudgetWarden(Engine engine, CompletionPort port, ConnectionTable table) {
        this.engine = engine;
        this.port = port;
        this.table = table;
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
        if (engine.isShutDown()) {
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
        if (engine.isShutDown()) {
            return;
        }
        enforce(engine.partialFrameBudget(), RealConnection::receiveMemoryHeld);
        enforce(engine.sendBudget(), RealConnection::sendMemoryHeld);
        if (!held.isEmpty() && !engine.partialFrameBudget().overHighMark() && !engine.sendBudget().overHighMark()) {
            for (RealConnection connection : held.keySet()) {
                connection.runOnPort(() -> connection.holdForBudget(false));
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
                connection.runOnPort(() -> connection.holdForBudget(true));
            } else if (hold.tick() < ticks && amounts[index] >= hold.amount()) {
                // Held since an earlier tick, still among the heaviest while the budget is spent, and nothing of it
                // given back since: it pays.
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
