package io.iocp4j.internal.engine;

import io.iocp4j.ShutdownReport;
import io.iocp4j.internal.events.ShutdownEvent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * An engine's shutdown as its callers see it: begun once, from any thread, for any reason (asked for, or a port
 * thread that failed), run by a thread of its own through the {@link ShutdownSequence}, and its report.
 */
final class Shutdown {
    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private final String name;
    private final ShutdownSequence sequence;
    private final BlockingTasks blockingTasks;
    /** True on a thread the shutdown waits for (a port's or a worker's): it must not wait for the shutdown itself. */
    private final BooleanSupplier onEngineThread;
    private final CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
    private volatile boolean begun;
    private volatile Thread thread;
    /** Set when a port thread ended by an error. */
    private volatile Throwable failure;

    Shutdown(String name, ShutdownSequence sequence, BlockingTasks blockingTasks, BooleanSupplier onEngineThread) {
        this.name = name;
        this.sequence = sequence;
        this.blockingTasks = blockingTasks;
        this.onEngineThread = onEngineThread;
    }

    /** True once a shutdown has begun. */
    boolean begun() {
        return begun;
    }

    /** Completes with the shutdown's report once the engine has shut down, for whatever reason. */
    CompletableFuture<ShutdownReport> terminated() {
        return report;
    }

    /** The error that ended a port thread and with it the engine, or null. */
    Throwable failure() {
        return failure;
    }

    /**
     * A port thread ended by an error: its connections will never be served. Rather than go on accepting what
     * nothing serves, the engine shuts down, briefly, and its report says why.
     */
    void portFailed(int index, Throwable error) {
        failure = error;
        LOG.log(System.Logger.Level.ERROR, name + ": I/O thread " + index + " failed; shutting down", error);
        begin(Duration.ZERO);
    }

    /** Begins the shutdown, once; the work runs on a thread of its own. */
    CompletableFuture<ShutdownReport> begin(Duration grace) {
        Thread worker;
        synchronized (this) {
            if (begun) {
                return report;
            }
            begun = true;
            // Assigned before it starts, so whoever sees the report also sees the thread to wait for.
            worker = Thread.ofPlatform().name(name + "-shutdown").unstarted(() -> {
                try {
                    ShutdownReport made = sequence.run(grace);
                    blockingTasks.shutdown();
                    ShutdownEvent.emit(name, made);
                    report.complete(made);
                } catch (Throwable t) {
                    report.completeExceptionally(t);
                }
            });
            thread = worker;
        }
        worker.start();
        return report;
    }

    /**
     * {@link #begin} and wait for it. On one of the engine's own threads (a handler), which the shutdown waits for,
     * it only begins the shutdown and returns {@link ShutdownReport#begun()}.
     */
    ShutdownReport await(Duration grace) {
        CompletableFuture<ShutdownReport> running = begin(grace);
        if (onEngineThread.getAsBoolean() || Thread.currentThread() == thread) {
            return running.getNow(ShutdownReport.begun());
        }
        ShutdownReport made = running.join();
        // The report is complete a moment before the thread that made it has ended; when this returns, no
        // thread of the engine is left.
        Thread worker = thread;
        boolean interrupted = false;
        while (worker != null && worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return made;
    }
}
