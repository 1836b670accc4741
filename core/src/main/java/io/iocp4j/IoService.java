package io.iocp4j;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.internal.engine.Engine;
import io.iocp4j.job.JobPool;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Server} and a {@link Client} have in common: the completion ports and I/O threads they run on, their
 * buffers and job pool, their counters, and their shutdown. Closing one shuts it down with no grace period.
 */
public abstract sealed class IoService implements AutoCloseable permits Server, Client {
    final Engine engine;

    IoService(Engine engine) {
        this.engine = engine;
    }

    /** The transport in use: {@code uring} or {@code nio2}. */
    public String transport() {
        return engine.transportName();
    }

    /** The I/O threads, each with its own completion port. */
    public int ioThreads() {
        return engine.ioThreads();
    }

    /** Connections open now, or closing and awaiting their last completion. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** Each I/O thread's connections and measured load. */
    public List<PortStats> portStats() {
        return engine.portStats();
    }

    /** Open connections moved from one I/O thread to another since the start. */
    public long migrations() {
        return engine.migrations();
    }

    public BufferPool bufferPool() {
        return engine.pool();
    }

    /**
     * The buffer leases and connections held now, with where each was taken when leak tracking is on. After a
     * shutdown it must be empty; a shutdown that leaves something held logs this report as an error.
     */
    public LeakReport leaks() {
        return engine.leaks();
    }

    /** The job pool handlers run on; {@link JobPool#none()} when they run on the I/O threads. */
    public JobPool jobs() {
        return engine.jobs();
    }

    /**
     * Receive buffers held now, lent out with received bytes or waiting in reads. With the io_uring transport an
     * idle connection holds none; with NIO.2 each connection's pending read holds one.
     */
    public int receiveBuffersHeld() {
        return engine.receiveBuffersHeld();
    }

    /** Completions that arrived for a slot's earlier tenant and were ignored. */
    public long staleCompletions() {
        return engine.staleCompletions();
    }

    /** Handler calls that threw, each of which closed its connection. */
    public long handlerErrors() {
        return engine.handlerErrors();
    }

    /** True once a shutdown has begun: nothing new is accepted or connected, and what is open drains or is stopped. */
    public boolean isShuttingDown() {
        return engine.isShutDown();
    }

    /**
     * Completes with the shutdown's report once this has shut down: through {@link #shutdown}, or by itself when an
     * I/O thread was ended by an error ({@link #failure()} then says which), so that a program serving until it
     * stops can wait on this instead of sleeping.
     */
    public CompletableFuture<ShutdownReport> terminated() {
        return engine.terminated();
    }

    /** The error that ended an I/O thread and made this shut itself down, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(engine.failure());
    }

    /**
     * Stops accepting, tells each connection's handler ({@link Handler#onShutdown}), lets queued sends finish
     * for up to {@code grace}, closes everything, waits for every completion and stops the I/O threads. Safe to
     * call twice: the first call's grace period holds, and both return the same report. Called from a handler
     * (on a thread the shutdown waits for) it begins the shutdown and returns {@link ShutdownReport#begun()} at
     * once; {@link #shutdownAsync} gives the final report.
     */
    public ShutdownReport shutdown(Duration grace) {
        return engine.shutdown(grace);
    }

    /** {@link #shutdown} without waiting. */
    public CompletableFuture<ShutdownReport> shutdownAsync(Duration grace) {
        return engine.shutdownAsync(grace);
    }

    /** {@link #shutdown} with no grace period: queued sends not yet written are dropped. */
    public ShutdownReport shutdownNow() {
        return engine.shutdown(Duration.ZERO);
    }

    /** Shuts down with no grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
