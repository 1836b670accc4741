package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Keeps the engine's memory budgets from being spent by a few connections at the cost of all the others. Every
 * tick, for a budget past its high mark, it ranks the connections by what they hold of it and makes the heaviest,
 * enough of them to come down to the low mark, pay: the first time their reading is held (a peer trickling a
 * huge frame stops growing it; a peer that does not read its replies stops being sent more), and if on the next
 * tick the budget is still past its mark and they still hold their share, they are closed with
 * {@link CloseReason#MEMORY_BUDGET}. Once both budgets are back under their low marks, held connections read again.
 *
 * <p>The ranking scans every connection, but only while a budget is past its high mark; otherwise a tick costs
 * two reads. Runs on the first port's thread, as a timer.
 */
final class BudgetWarden {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Engine engine;
    private final CompletionPort port;
    private final ConnectionTable table;
    private final Runnable tick = this::tick;
    /** Connections whose reading this warden holds; this thread only. */
    private final Set<RealConnection> held = Collections.newSetFromMap(new IdentityHashMap<>());

    BudgetWarden(Engine engine, CompletionPort port, ConnectionTable table) {
        this.engine = engine;
        this.port = port;
        this.table = table;
    }

    void start() {
        port.schedule(TICK_NANOS, tick);
    }

    private void tick() {
        if (engine.isShutDown()) {
            return;
        }
        try {
            enforce(engine.partialFrameBudget(), RealConnection::receiveMemoryHeld);
            enforce(engine.sendBudget(), RealConnection::sendMemoryHeld);
            if (!held.isEmpty() && engine.partialFrameBudget().underLowMark() && engine.sendBudget().underLowMark()) {
                for (RealConnection connection : held) {
                    connection.runOnPort(() -> connection.holdForBudget(false));
                }
                held.clear();
            }
        } finally {
            port.schedule(TICK_NANOS, tick);
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
            if (held.remove(connection)) {
                // Held since the last tick and still among the heaviest while the budget is spent: it pays.
                toClose.add(connection);
            } else {
                held.add(connection);
                connection.runOnPort(() -> connection.holdForBudget(true));
            }
            excess -= amounts[index];
        }
        for (RealConnection connection : toClose) {
            connection.closeWith(CloseReason.MEMORY_BUDGET);
        }
        held.removeIf(connection -> !connection.isOpen());
    }
}
