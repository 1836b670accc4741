package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.LeakReport;
import io.iocp4j.ShutdownReport;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.spi.CompletionPort;

import java.time.Duration;
import java.util.List;

/**
 * The steps of an engine's shutdown, run once on a thread of its own: stop accepting, let each connection say its
 * last words and finish sending until the grace period ends, close the rest, wait for every last completion, stop
 * the workers and then the ports (each ends its thread after its own last task), and report.
 */
final class ShutdownSequence {
    private static final System.Logger LOG = System.getLogger(ShutdownSequence.class.getName());
    /** How long each wait for completions or threads may take before it is given up and logged. */
    static final Duration LAST_COMPLETIONS_WAIT = Duration.ofSeconds(10);

    private final Engine engine;
    private final Listeners listeners;
    private final ConnectionTable table;

    ShutdownSequence(Engine engine, Listeners listeners, ConnectionTable table) {
        this.engine = engine;
        this.listeners = listeners;
        this.table = table;
    }

    ShutdownReport run(Duration grace) throws InterruptedException {
        long start = System.nanoTime();
        long sentBefore = engine.traffic().bytesSent();
        long droppedBefore = engine.traffic().sendsDropped();
        // A port that failed will deliver no more completions: nothing of it is waited for in vain.
        Duration lastWait = engine.failure() != null ? Duration.ofSeconds(1) : LAST_COMPLETIONS_WAIT;
        listeners.closeAll(lastWait);
        for (RealConnection connection : table.snapshot()) {
            connection.runOnPort(connection::shutdownGracefully);
        }
        int closedAtDeadline = 0;
        if (!table.awaitEmpty(start + grace.toNanos())) {
            List<RealConnection> stragglers = table.snapshot();
            closedAtDeadline = stragglers.size();
            for (RealConnection connection : stragglers) {
                connection.closeWith(CloseReason.SHUTDOWN);
            }
        }
        if (!table.awaitEmpty(System.nanoTime() + lastWait.toNanos())) {
            StringBuilder held = new StringBuilder();
            for (RealConnection connection : table.snapshot()) {
                held.append("\n  ").append(connection.describe());
            }
            LOG.log(System.Logger.Level.ERROR, table.inUse() + " connections still awaiting completions:" + held);
        }
        // Every connection open when the shutdown began, or accepted while the listeners were closing (and closed
        // at once), has been released by now; those that would not end are counted too.
        int total = (int) engine.releasedInShutdown() + table.inUse();
        // Every connection has been released, so no job is left: its jobs held it.
        stopWorkers(engine.name(), engine.workers());
        stopPorts(engine.name(), engine.ports());
        LeakReport leaks = engine.leaks();
        if (!leaks.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, engine.name() + " shut down holding " + leaks.describe());
        }
        return new ShutdownReport(total, closedAtDeadline, engine.traffic().bytesSent() - sentBefore,
                engine.traffic().sendsDropped() - droppedBefore, engine.pool().leasesOutstanding(),
                engine.staleCompletions(), Duration.ofNanos(System.nanoTime() - start), true);
    }

    /** Stops the job pool, if there is one, and waits (bounded) for its threads. */
    static void stopWorkers(String name, WorkerPool workers) throws InterruptedException {
        if (workers != null) {
            workers.shutdown();
            if (!workers.awaitTermination(LAST_COMPLETIONS_WAIT)) {
                LOG.log(System.Logger.Level.ERROR, "a worker thread of " + name + " did not stop");
            }
        }
    }

    /** Stops every port opened so far and waits (bounded) for their threads. */
    static void stopPorts(String name, CompletionPort[] ports) throws InterruptedException {
        for (CompletionPort port : ports) {
            if (port != null) {
                port.shutdown();
            }
        }
        for (CompletionPort port : ports) {
            if (port != null && !port.awaitTermination(LAST_COMPLETIONS_WAIT)) {
                LOG.log(System.Logger.Level.ERROR, "a port thread of " + name + " did not stop");
            }
        }
    }
}
