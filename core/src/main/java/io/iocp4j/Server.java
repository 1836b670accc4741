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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP server: listeners whose accepted connections are spread over completion ports, each port with one I/O
 * thread that runs the handler of its connections.
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .bind("127.0.0.1", 7000)
 *         .framing(Framing.lengthPrefixed(4, 1 << 20))
 *         .handler((connection, packet) -> connection.send(packet))
 *         .start();
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private final Engine engine;
    private final List<InetSocketAddress> localAddresses;

    private Server(Engine engine, List<InetSocketAddress> localAddresses) {
        this.engine = engine;
        this.localAddresses = List.copyOf(localAddresses);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The addresses listened on, in the order they were bound, with the real port numbers. */
    public List<InetSocketAddress> localAddresses() {
        return localAddresses;
    }

    /** The first address listened on. */
    public InetSocketAddress localAddress() {
        return localAddresses.getFirst();
    }

    /** The transport in use: {@code uring} or {@code nio2}. */
    public String transport() {
        return engine.transportName();
    }

    public int ioThreads() {
        return engine.ioThreads();
    }

    /** Connections open now, or closing and awaiting their last completion. */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /** A snapshot of the connections open now. */
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

    /** The job pool handlers run on; {@link JobPool#none()} when they run on the I/O threads. */
    public JobPool jobs() {
        return engine.jobs();
    }

    /** Completions that arrived for a slot's earlier tenant and were ignored. */
    /**
     * Receive buffers held now, lent out with received bytes or waiting in reads. With the io_uring transport an
     * idle connection holds none; with NIO.2 each connection's pending read holds one.
     */
    public int receiveBuffersHeld() {
        return engine.receiveBuffersHeld();
    }

    public long staleCompletions() {
        return engine.staleCompletions();
    }

    public long handlerErrors() {
        return engine.handlerErrors();
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

    public static final class Builder {
        private record Binding(InetSocketAddress address, Framing framing, Handler handler) {
        }

        private final List<Binding> bindings = new ArrayList<>();
        private Transport transport = Transport.AUTO;
        private int ioThreads = 1;
        private int backlog = 1024;
        private Framing framing = Framing.lengthPrefixed(4, 1 << 20);
        private Handler handler;
        private BufferPool pool;
        private boolean trackLeaks;
        private FlowSettings flow = FlowSettings.DEFAULTS;

        private Builder() {
        }

        /** Listens on {@code host:port} (port 0: any free port) with the builder's framing and handler. */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port), null, null);
        }

        /** Listens on {@code host:port} with a framing and handler of its own. */
        public Builder bind(String host, int port, Framing framing, Handler handler) {
            return bind(new InetSocketAddress(host, port), framing, handler);
        }

        public Builder bind(InetSocketAddress address, Framing framing, Handler handler) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("address=" + address + " could not be resolved");
            }
            bindings.add(new Binding(address, framing, handler));
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Completion ports, each with its own I/O thread. */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads=" + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog=" + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** The default framing of bindings that name none. */
        public Builder framing(Framing framing) {
            this.framing = framing;
            return this;
        }

        /** The default handler of bindings that name none. */
        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        /** The pool buffers are leased from; by default one of the server's own. */
        public Builder bufferPool(BufferPool pool) {
            this.pool = pool;
            return this;
        }

        /**
         * Leak tracking (default off, or on with the system property {@code iocp4j.trackLeaks=true}): every buffer
         * lease and every connection records where it was taken, and {@code leaks()} lists what is still held
         * with those places. It costs a stack trace per lease: for tests and debugging.
         */
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
         * Writability: past {@code high} queued reply bytes a connection is not writable and stops reading; under
         * {@code low} it is writable again (defaults 256 KiB and 1 MiB).
         */
        public Builder writeWatermarks(long low, long high) {
            flow = flow.withWatermarks(low, high);
            return this;
        }

        /**
         * Whether a connection that is not writable stops reading until it is (default true): a peer that sends
         * without reading then cannot make the server hold unbounded replies.
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

        /**
         * Starts the I/O threads and listens on every binding.
         *
         * @throws IOException           when an address cannot be bound (in use, not local)
         * @throws IllegalStateException when the transport asked for cannot run here, or nothing is bound
         */
        public Server start() throws IOException {
            if (bindings.isEmpty()) {
                throw new IllegalStateException("no address to listen on: call bind() first");
            }
            List<Endpoint> endpoints = new ArrayList<>();
            for (Binding binding : bindings) {
                Handler bound = binding.handler() != null ? binding.handler() : handler;
                if (bound == null) {
                    throw new IllegalStateException("no handler for " + binding.address());
                }
                endpoints.add(new Endpoint(binding.framing() != null ? binding.framing() : framing, bound));
            }
            Engine engine = new Engine(Transports.select(transport), "iocp4j-server", ioThreads,
                    Engine.poolFor(pool, trackLeaks), Engine.MAX_CONNECTIONS, flow);
            List<InetSocketAddress> bound = new ArrayList<>();
            try {
                for (int i = 0; i < bindings.size(); i++) {
                    bound.add(engine.listen(bindings.get(i).address(), backlog, endpoints.get(i)));
                }
            } catch (IOException | RuntimeException e) {
                engine.shutdownAsync(Duration.ZERO).join();
                if (e instanceof IOException io) {
                    throw io;
                }
                throw e;
            }
            return new Server(engine, bound);
        }
    }
}
