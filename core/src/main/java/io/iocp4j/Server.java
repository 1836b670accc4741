package io.iocp4j;

import io.iocp4j.file.FileTransferInfo;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.accept.AdmissionPolicy;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.FlowSettings;
import io.iocp4j.internal.engine.Engine;
import io.iocp4j.internal.engine.Timeouts;
import io.iocp4j.internal.memory.MemoryBudgets;
import io.iocp4j.stage.Pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

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
public final class Server extends IoService {
    private final List<InetSocketAddress> localAddresses;
    private final BanList bans;

    private Server(Engine engine, List<InetSocketAddress> localAddresses, BanList bans) {
        super(engine);
        this.localAddresses = List.copyOf(localAddresses);
        this.bans = bans;
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

    /** The connections open now, each with its id, peer, age, counters and queued bytes, in id order. */
    public List<ConnectionInfo> connections() {
        return engine.registry().snapshot();
    }

    /** The open connection with this id, if it is still open or closing. */
    public Optional<Connection> connection(long id) {
        return Optional.ofNullable(engine.registry().connection(id));
    }

    /** Closes the connection with this id at once (queued sends are dropped); false when no such one is open. */
    public boolean disconnect(long id) {
        Connection connection = engine.registry().connection(id);
        if (connection == null || !connection.isOpen()) {
            return false;
        }
        connection.close();
        return true;
    }

    /** Closes every open connection at once; the server goes on accepting. Returns how many were closed. */
    public int disconnectAll() {
        return engine.registry().closeWhere(connection -> true, CloseReason.CLOSED_LOCALLY);
    }

    /**
     * The addresses and ranges this server refuses, changeable while it runs. A change applies to connections
     * accepted after it; {@link #disconnectBanned()} closes the open ones it now covers.
     */
    public BanList bans() {
        return bans;
    }

    /** Closes every open connection whose peer is banned now ({@link CloseReason#BANNED}); returns how many. */
    public int disconnectBanned() {
        return engine.registry().closeWhere(connection -> connection.remoteAddress() != null
                && bans.isBanned(connection.remoteAddress().getAddress()), CloseReason.BANNED);
    }

    /**
     * Sends {@code packet} to every open connection: encoded once (per framing in use) into one buffer that every
     * recipient's queue shares, so memory does not grow with the recipients beyond their queue entries. Each
     * recipient's limits apply to it alone: one over its {@code maxQueuedBytes} is closed as a slow consumer and
     * the others go on. From any thread; one broadcast's frames reach each recipient in the order broadcast.
     *
     * @return how many connections it was queued for
     */
    public int broadcast(ByteBuffer packet) {
        return engine.registry().broadcast(packet);
    }

    /** The file transfers under way now, with their progress; each direction of a connection is one entry. */
    public List<FileTransferInfo> fileTransfers() {
        return engine.registry().fileTransfers();
    }

    /** The server's counters now: connections, admissions and rejections, bytes and packets, stale completions. */
    public ServerStats stats() {
        return engine.stats();
    }

    /**
     * Moves the connection with {@code id} to I/O thread {@code ioThread} while it stays open: nothing it sends or
     * receives is lost, repeated or reordered. The future tells whether the move began: false when the connection
     * is gone or closing, in the middle of a file transfer, already moving, or already there.
     *
     * @throws IllegalArgumentException when there is no such I/O thread
     */
    public CompletableFuture<Boolean> moveConnection(long id, int ioThread) {
        return engine.move(id, ioThread);
    }

    public static final class Builder extends SharedOptions<Builder> {
        /** A listener's address, and its own pipeline and handler where it has them (null: the builder's). */
        private record Binding(InetSocketAddress address, Pipeline pipeline, Handler handler) {
        }

        private final List<Binding> bindings = new ArrayList<>();
        private int backlog = 1024;
        private boolean reusePort;
        private int maxConnections = AdmissionPolicy.UNLIMITED;
        private int maxPerAddress = AdmissionPolicy.UNLIMITED;
        private final BanList bans = new BanList();
        private Predicate<InetSocketAddress> acceptFilter;
        private Duration idleTimeout;
        private Duration writeTimeout;
        private Duration frameTimeout = Timeouts.DEFAULT_FRAME_TIMEOUT;
        private Duration timeoutCheckInterval;
        private LongSupplier clock = System::nanoTime;

        private Builder() {
            super(FlowSettings.DEFAULTS, MemoryBudgets.DEFAULTS);
        }

        /**
         * At most {@code n} connections at once, over every binding. The next one is accepted only to hear
         * {@link Handler#onOverLimit} (a last word, such as a BUSY message) and is closed; once connections close,
         * new ones are admitted again. Unlimited by default.
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections=" + n + " (must be at least 1)");
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * At most {@code n} connections at once from one IP address; one more is closed as it is accepted, before a
         * byte is read or sent. 1 allows one connection per address. Unlimited by default.
         */
        public Builder maxConnectionsPerAddress(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress=" + n + " (must be at least 1)");
            }
            this.maxPerAddress = n;
            return this;
        }

        /**
         * Bans an address or CIDR range from the start ({@code 192.0.2.7}, {@code 10.0.0.0/8},
         * {@code 2001:db8::/32}); more can be added while running through {@link Server#bans()}.
         *
         * @throws IllegalArgumentException when {@code range} is not an address or range, saying why
         */
        public Builder ban(String range) {
            bans.add(range);
            return this;
        }

        public Builder ban(CidrRange range) {
            bans.add(range);
            return this;
        }

        /**
         * A predicate on the peer's address, asked for each accepted socket before it is given anything; false (or
         * a throw) closes the socket at once. It runs on an I/O thread and must not block.
         */
        public Builder acceptFilter(Predicate<InetSocketAddress> filter) {
            this.acceptFilter = filter;
            return this;
        }

        /**
         * Closes a connection from which nothing was received and to which nothing was sent for {@code timeout},
         * after {@link Handler#onIdleTimeout} (a last word). Off by default.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /**
         * Closes a connection ({@link CloseReason#WRITE_TIMEOUT}) that has bytes queued and whose peer accepted
         * none of them for {@code timeout}: it stopped reading. Off by default.
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        /**
         * Closes a connection ({@link CloseReason#FRAME_TIMEOUT}) whose peer began a frame and has not finished it
         * within {@code timeout}, so that a peer trickling a body a byte at a time cannot hold its memory for long
         * (default 30 s; {@link Duration#ZERO} turns it off). The clock stops while this side holds the reading.
         */
        public Builder frameTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("frameTimeout=" + timeout + " (must be zero or positive)");
            }
            this.frameTimeout = timeout.isZero() ? null : timeout;
            return this;
        }

        /**
         * How often each I/O thread checks its connections for the timeouts (by default a quarter of the shortest
         * timeout, between 10 ms and 1 s); a timeout fires up to this much late.
         */
        public Builder timeoutCheckInterval(Duration interval) {
            this.timeoutCheckInterval = positive("timeoutCheckInterval", interval);
            return this;
        }

        /** The clock timeouts are measured on, in nanoseconds (default {@link System#nanoTime()}); for tests. */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "clock");
            return this;
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + "=" + value + " (must be positive)");
            }
            return value;
        }

        /** Listens on {@code host:port} (port 0: any free port) with the builder's framing and handler. */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port), (Pipeline) null, null);
        }

        /** Listens on {@code host:port} with a framing and handler of its own, and no byte stages. */
        public Builder bind(String host, int port, Framing framing, Handler handler) {
            return bind(new InetSocketAddress(host, port), framing, handler);
        }

        /** Listens on {@code host:port} with a pipeline (byte stages and codec) and handler of its own. */
        public Builder bind(String host, int port, Pipeline pipeline, Handler handler) {
            return bind(new InetSocketAddress(host, port), pipeline, handler);
        }

        public Builder bind(InetSocketAddress address, Framing framing, Handler handler) {
            return bind(address, framing == null ? null : Pipeline.of(framing), handler);
        }

        public Builder bind(InetSocketAddress address, Pipeline pipeline, Handler handler) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("address=" + address + " could not be resolved");
            }
            bindings.add(new Binding(address, pipeline, handler));
            return this;
        }

        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog=" + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Shares every bound port with other servers that set this option too (SO_REUSEPORT): several processes,
         * or several servers in one, listen on the same address and the kernel spreads new connections over them.
         * A server shutting down closes its listeners first, so the others take its new connections. Without it
         * (the default), binding a port in use fails. Linux lets only sockets of the same user share a port. A server
         * of several I/O threads sets SO_REUSEPORT on its own listeners either way (one per thread, to spread its
         * connections over them), so a server of the same user that asks to share can join it.
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * Starts the I/O threads and listens on every binding.
         *
         * @throws IOException           when an address cannot be bound (in use, not local)
         * @throws IllegalStateException when the transport asked for cannot run here, cannot share a port when
         *                               {@link #reusePort} asks it to, or nothing is bound
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
                Pipeline pipeline = binding.pipeline() != null ? binding.pipeline() : new Pipeline(framing, stages);
                endpoints.add(new Endpoint(pipeline.framing(), pipeline.stages(), bound));
            }
            Engine engine = new Engine(Transports.select(transport), "iocp4j-server", ioThreads,
                    Engine.poolFor(pool, trackLeaks), Engine.MAX_CONNECTIONS, flow);
            List<InetSocketAddress> bound = new ArrayList<>();
            try {
                Timeouts timeouts = Timeouts.of(idleTimeout, writeTimeout, frameTimeout, clock);
                if (timeoutCheckInterval != null) {
                    timeouts = timeouts.withCheckInterval(timeoutCheckInterval);
                }
                engine.applyPolicies(new AdmissionPolicy(maxConnections, maxPerAddress, bans, acceptFilter), timeouts);
                engine.applyBalancing(balance);
                engine.applyBudgets(budgets);
                for (int i = 0; i < bindings.size(); i++) {
                    bound.add(engine.listen(bindings.get(i).address(), backlog, reusePort, endpoints.get(i)));
                }
            } catch (IOException | RuntimeException e) {
                engine.shutdownAsync(Duration.ZERO).join();
                if (e instanceof IOException io) {
                    throw io;
                }
                throw e;
            }
            return new Server(engine, bound, bans);
        }
    }
}
