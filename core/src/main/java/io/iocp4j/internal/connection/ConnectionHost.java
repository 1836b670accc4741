package io.iocp4j.internal.connection;

import io.iocp4j.file.FileHandler;
import io.iocp4j.RejectReason;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.spi.CompletionPort;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What a connection reaches of the engine it runs on: its ports, buffers, settings and budgets, its counters, and
 * the engine's part in a connection's life (the start, a move between ports, the release). The engine implements
 * it; a connection knows the engine through this alone.
 */
public interface ConnectionHost {
    CompletionPort port(int index);

    BufferPool pool();

    FlowSettings flow();

    MemoryBudget partialFrameBudget();

    MemoryBudget sendBudget();

    /** The timeouts' clock: partial frames are timed by it. */
    LongSupplier clock();

    /** The job pool, or null when handlers run on the port threads. */
    WorkerPool workerPool();

    /** Where stages run what must not run on a port thread. */
    Executor blockingTasks();

    /** The engine's totals, which every connection adds to. */
    Traffic traffic();

    /** The file protocol of docs/protocol.md, for a framed connection whose handler is a file handler. */
    FrameProtocol fileProtocol(ProtocolContext context, FileHandler handler);

    /** The connection's port thread: it begins, or (arriving while the engine shuts down) begins closing. */
    void start(RealConnection connection);

    /** The port thread of {@code from}, as {@code connection} leaves it for {@code to}. */
    void leftPort(RealConnection connection, int from, int to, boolean started);

    /** The port thread of {@code port}, as {@code connection} arrives there. */
    void arrived(RealConnection connection, int port);

    /**
     * Port thread: {@code connection} turned out to speak for {@code client} (a PROXY header); null when the
     * admission rules let the client in, else why not.
     */
    RejectReason readmit(RealConnection connection, InetSocketAddress client);

    /** Port thread: the connection's last reference is gone. */
    void released(RealConnection connection);
}
