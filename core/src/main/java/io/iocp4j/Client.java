package io.iocp4j;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.Endpoint;
import io.iocp4j.internal.Engine;
import io.iocp4j.internal.FlowSettings;
import io.iocp4j.internal.Transports;
import io.iocp4j.job.JobPool;
import io.iocp4j.job.Ordering;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The client side: completion ports that connections are opened from, with the same handler model as
 * {@link Server}. One client can hold many connections; closing it closes them all.
 *
 * <pre>{@code
 * try (Client client = Client.builder().handler(myHandler).build()) {
 *     Connection connection = client.connect("127.0.0.1", 7000).join();
 *     connection.send(ByteBuffer.wrap(bytes));
 * }
 * }</pre>
 */
public final class Client implements AutoCloseable {
    private final Engine engine;
    private final Endpoint endpoint;
    private final long connectTimeoutNanos;

    private Client(Engine engine, Endpoint endpoint, long connectTimeoutNanos) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.connectTimeoutNanos = connectTimeoutNanos;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects; the future fails with the connect error (refused, unreachable). */
    public CompletableFuture<Connection> connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * Connects; the future fails with the connect error (refused, unreachable), or with a
     * {@link java.net.SocketTimeoutException} after the builder's {@code connectTimeout}.
     */
    public CompletableFuture<Connection> connect(InetSocketAddress remote) {
        if (remote.isUnresolved()) {
            return CompletableFuture.failedFuture(new IOException("cannot resolve " + remote.getHostString()));
        }
        return engine.connect(remote, endpoint, connectTimeoutNanos);
    }

    /**
     * Connects, and after each failed attempt waits the next delay of {@code backoff} and tries again, up to
     * {@code maxAttempts} attempts in all; the future fails with the last attempt's error. The backoff is reset
     * on success, so the same one can serve the next reconnect (call this again from
     * {@link Handler#onDisconnect}). No thread sleeps through the waits.
     */
    public CompletableFuture<Connection> connect(InetSocketAddress remote, Backoff backoff, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts=" + maxAttempts + " (must be at least 1)");
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        attempt(remote, backoff, maxAttempts, 1, result);
        return result;
    }

    private void attempt(InetSocketAddress remote, Backoff backoff, int maxAttempts, int attempt,
                         CompletableFuture<Connection> result) {
        connect(remote).whenComplete((connection, error) -> {
            if (error == null) {
                backoff.reset();
                result.complete(connection);
            } else if (attempt >= maxAttempts || engine.isShutDown()) {
                result.completeExceptionally(error instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : error);
            } else {
                // The JDK's shared timer, not a port's: a wait must end, and the future with it, even if the client
                // shuts down meanwhile (the next attempt then fails at once).
                Executor later = CompletableFuture.delayedExecutor(backoff.next().toNanos(), TimeUnit.NANOSECONDS);
                later.execute(() -> attempt(remote, backoff, maxAttempts, attempt + 1, result));
            }
        });
    }

    public String transport() {
        return engine.transportName();
    }

    public int connectionCount() {
        return engine.connectionCount();
    }

    public List<Connection> connections() {
        return engine.connections();
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

    /**
     * Receive buffers held now, lent out with received bytes or waiting in reads. With the io_uring transport an
     * idle connection holds none; with NIO.2 each connection's pending read holds one.
     */
    public int receiveBuffersHeld() {
        return engine.receiveBuffersHeld();
    }

    /** The job pool handlers run on; {@link JobPool#none()} when they run on the I/O threads. */
    public JobPool jobs() {
        return engine.jobs();
    }

    public long staleCompletions() {
        return engine.staleCompletions();
    }

    public long handlerErrors() {
        return engine.handlerErrors();
    }

    /** As {@link Server#shutdown}: lets queued sends finish for up to {@code grace}, then closes everything. */
    public ShutdownReport shutdown(Duration grace) {
        return engine.shutdown(grace);
    }

    public CompletableFuture<ShutdownReport> shutdownAsync(Duration grace) {
        return engine.shutdownAsync(grace);
    }

    /** {@link #shutdown} with no grace period: queued sends not yet written are dropped. */
    public ShutdownReport shutdownNow() {
        return engine.shutdown(Duration.ZERO);
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    public static final class Builder {
        private Transport transport = Transport.AUTO;
        private int ioThreads = 1;
        private Framing framing = Framing.lengthPrefixed(4, 1 << 20);
        private Handler handler;
        private BufferPool pool;
        private boolean trackLeaks;
        private FlowSettings flow = FlowSettings.DEFAULTS.withPauseReading(false);
        private Duration connectTimeout;

        private Builder() {
        }

        /** A connect not completed within {@code timeout} fails with a SocketTimeoutException (default: no limit). */
        public Builder connectTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout=" + timeout + " (must be positive)");
            }
            this.connectTimeout = timeout;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads=" + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder framing(Framing framing) {
            this.framing = framing;
            return this;
        }

        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        public Builder bufferPool(BufferPool pool) {
            this.pool = pool;
            return this;
        }

        /** As {@link Server.Builder#trackLeaks}. */
        public Builder trackLeaks(boolean trackLeaks) {
            this.trackLeaks = trackLeaks;
            return this;
        }

        /**
         * Worker threads that run handlers as jobs, off the I/O threads (default 0: handlers run on the I/O
         * threads). Resizable later through {@code jobs().resize(n)}.
         */
        public Builder workers(int workers) {
            flow = flow.withWorkers(workers);
            return this;
        }

        /** How one connection's packets are ordered on the workers (default {@link Ordering#PER_CONNECTION}). */
        public Builder ordering(Ordering ordering) {
            flow = flow.withOrdering(ordering);
            return this;
        }

        /**
         * Back-pressure on the workers: at most {@code capacity} packets held over all connections (default 8192),
         * at most {@code perConnection} per connection (default 64). A connection stops reading while either is
         * reached, and resumes once its jobs are half done and a quarter of the capacity is free.
         */
        public Builder jobLimits(int capacity, int perConnection) {
            flow = flow.withJobLimits(capacity, perConnection);
            return this;
        }

        /**
         * Writability: past {@code high} queued bytes a connection is not writable; under {@code low} it is writable
         * again (defaults 256 KiB and 1 MiB).
         */
        public Builder writeWatermarks(long low, long high) {
            flow = flow.withWatermarks(low, high);
            return this;
        }

        /**
         * Whether a connection that is not writable stops reading until it is (default false for a client: if both
         * ends of a connection paused, each would wait for the other to read).
         */
        public Builder pauseReadingWhenNotWritable(boolean pause) {
            flow = flow.withPauseReading(pause);
            return this;
        }

        /** Past this many queued reply bytes a connection is closed as a slow consumer (default 128 MiB). */
        public Builder maxQueuedBytes(long maxQueuedBytes) {
            flow = flow.withMaxQueuedBytes(maxQueuedBytes);
            return this;
        }

        /** Starts the client's I/O threads. */
        public Client build() throws IOException {
            if (handler == null) {
                throw new IllegalStateException("no handler: call handler() first");
            }
            Engine engine = new Engine(Transports.select(transport), "iocp4j-client", ioThreads,
                    Engine.poolFor(pool, trackLeaks), Engine.MAX_CONNECTIONS, flow);
            return new Client(engine, new Endpoint(framing, handler),
                    connectTimeout == null ? 0 : connectTimeout.toNanos());
        }
    }
}
