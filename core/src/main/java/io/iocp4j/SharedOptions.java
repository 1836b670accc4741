package io.iocp4j;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.balance.BalanceSettings;
import io.iocp4j.internal.connection.FlowSettings;
import io.iocp4j.internal.memory.MemoryBudgets;
import io.iocp4j.job.Ordering;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.stage.StageFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options a {@link Server.Builder} and a {@link Client.Builder} share: the transport and its threads, framing
 * and handler, buffers, and how handlers run and how much a connection may hold.
 *
 * @param <B> the builder, returned by each option so that calls chain
 */
public abstract sealed class SharedOptions<B extends SharedOptions<B>> permits Server.Builder, Client.Builder {
    Transport transport = Transport.AUTO;
    int ioThreads = 1;
    Framing framing = Framing.lengthPrefixed(4, 1 << 20);
    final List<StageFactory> stages = new ArrayList<>();
    Handler handler;
    BufferPool pool;
    boolean trackLeaks;
    FlowSettings flow;
    BalanceSettings balance = BalanceSettings.DEFAULTS;
    MemoryBudgets budgets;

    SharedOptions(FlowSettings flow, MemoryBudgets budgets) {
        this.flow = flow;
        this.budgets = budgets;
    }

    private B self() {
        @SuppressWarnings("unchecked")
        B builder = (B) this;
        return builder;
    }

    /** {@link Transport#AUTO} (the default): io_uring where the kernel offers it, else NIO.2. */
    public B transport(Transport transport) {
        this.transport = transport;
        return self();
    }

    /** Completion ports, each with its own I/O thread (default 1). */
    public B ioThreads(int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads=" + ioThreads);
        }
        this.ioThreads = ioThreads;
        return self();
    }

    /**
     * How a new connection's I/O thread is chosen when there are several (default {@link Balancing#LEAST_LOAD}).
     */
    public B balancing(Balancing mode) {
        balance = balance.withMode(mode);
        return self();
    }

    /**
     * How often the I/O threads' loads are compared, and connections moved from the busiest to the least busy one
     * when it carries more than the rebalance factor times its load (default every second);
     * {@link Duration#ZERO} turns moving off. At least 200 ms.
     */
    public B rebalanceInterval(Duration interval) {
        balance = balance.withInterval(interval);
        return self();
    }

    /** How much busier than the least busy I/O thread the busiest must be before connections move (default 1.5). */
    public B rebalanceFactor(double factor) {
        balance = balance.withFactor(factor);
        return self();
    }

    /** How bytes are cut into packets (default a 4-byte length prefix, frames up to 1 MiB). */
    public B framing(Framing framing) {
        if (framing == null) {
            throw new IllegalArgumentException("framing=null (Framing.none() for none)");
        }
        this.framing = framing;
        return self();
    }

    /**
     * Adds a byte stage after those added before: inbound bytes meet the stages in the order they were added, then
     * the codec; outbound bytes the other way. Each connection gets its own stage from {@code factory}.
     */
    public B stage(StageFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("factory=null");
        }
        stages.add(factory);
        return self();
    }

    /** The byte stages and the codec at once, replacing what {@link #stage} and {@link #framing} set before. */
    public B pipeline(Pipeline pipeline) {
        stages.clear();
        stages.addAll(pipeline.stages());
        return framing(pipeline.framing());
    }

    /** What hears each connection's events. */
    public B handler(Handler handler) {
        this.handler = handler;
        return self();
    }

    /** The pool buffers are leased from; by default one of its own. */
    public B bufferPool(BufferPool pool) {
        this.pool = pool;
        return self();
    }

    /**
     * Leak tracking (default off, or on with the system property {@code iocp4j.trackLeaks=true}): every buffer
     * lease and every connection records where it was taken, and {@code leaks()} lists what is still held with
     * those places. It costs a stack trace per lease: for tests and debugging.
     */
    public B trackLeaks(boolean trackLeaks) {
        this.trackLeaks = trackLeaks;
        return self();
    }

    /**
     * Worker threads that run handlers as jobs, off the I/O threads (default 0: handlers run on the I/O threads).
     * Resizable later through {@code jobs().resize(n)}.
     */
    public B workers(int workers) {
        flow = flow.withWorkers(workers);
        return self();
    }

    /** How one connection's packets are ordered on the workers (default {@link Ordering#PER_CONNECTION}). */
    public B ordering(Ordering ordering) {
        flow = flow.withOrdering(ordering);
        return self();
    }

    /**
     * Back-pressure on the workers: at most {@code capacity} packets held over all connections (default 8192), at
     * most {@code perConnection} per connection (default 64). A connection stops reading while either is reached,
     * and resumes once its jobs are half done and a quarter of the capacity is free.
     */
    public B jobLimits(int capacity, int perConnection) {
        flow = flow.withJobLimits(capacity, perConnection);
        return self();
    }

    /**
     * Writability: past {@code high} queued bytes a connection is not writable; under {@code low} it is writable
     * again (defaults 256 KiB and 1 MiB).
     */
    public B writeWatermarks(long low, long high) {
        flow = flow.withWatermarks(low, high);
        return self();
    }

    /**
     * Whether a connection that is not writable stops reading until it is. A server does by default, so a peer
     * that sends without reading cannot make it hold unbounded replies; a client does not, since if both ends of a
     * connection paused, each would wait for the other to read.
     */
    public B pauseReadingWhenNotWritable(boolean pause) {
        flow = flow.withPauseReading(pause);
        return self();
    }

    /**
     * Past this many queued bytes a connection is closed as a slow consumer (default 128 MiB). Queued bytes count
     * the memory the queued buffers hold, so that the cap bounds what the process keeps for one peer.
     */
    public B maxQueuedBytes(long maxQueuedBytes) {
        flow = flow.withMaxQueuedBytes(maxQueuedBytes);
        return self();
    }

    /**
     * The most memory all connections together may hold in frames their peers have begun and not finished, and in
     * what paused connections keep of what they received (default 128 MiB for a server, none for a client). A
     * partial frame holds what has arrived, never what its header announced. Past seven eighths of it, the
     * connections holding the most have their reading held, then are closed ({@link CloseReason#MEMORY_BUDGET}) if
     * the budget stays spent and they give nothing back.
     */
    public B partialFrameBudget(long bytes) {
        budgets = budgets.withPartialFrameBytes(bytes);
        return self();
    }

    /**
     * The most memory all connections together may hold in send queues, counted as the buffers' memory and not
     * the bytes left to send (default 256 MiB for a server, none for a client). Spent, it is taken back from the
     * connections holding the most, as for {@link #partialFrameBudget}: a connection whose peer reads is only
     * slowed, one whose peer does not is closed.
     */
    public B sendBudget(long bytes) {
        budgets = budgets.withSendQueueBytes(bytes);
        return self();
    }
}
