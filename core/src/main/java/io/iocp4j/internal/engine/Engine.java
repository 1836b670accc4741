package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.LeakReport;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;
import io.iocp4j.ShutdownReport;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.file.FileHandler;
import io.iocp4j.internal.accept.Acceptance;
import io.iocp4j.internal.accept.AdmissionPolicy;
import io.iocp4j.internal.accept.ConnectionMaker;
import io.iocp4j.internal.balance.BalanceSettings;
import io.iocp4j.internal.balance.Placement;
import io.iocp4j.internal.connection.ConnectionHost;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.FlowSettings;
import io.iocp4j.internal.connection.FrameProtocol;
import io.iocp4j.internal.connection.ProtocolContext;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.internal.connection.Traffic;
import io.iocp4j.internal.events.ConnectionOpenedEvent;
import io.iocp4j.internal.files.FileSession;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.internal.memory.MemoryBudgets;
import io.iocp4j.job.JobPool;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportProvider;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The machinery a server or a client runs on: completion ports with their threads, the buffer pool, the connection
 * table, the job pool when handlers run on workers, and the one way a connection is born ({@link #register}) and
 * released. Its parts: {@link Placement} (which port, and moves), {@link Acceptance} (who is let in),
 * {@link Listeners} and {@link Connector} (where connections come from), {@link IdleSweeper} and
 * {@link BudgetWarden} (timeouts and memory), {@link Statistics}, and the {@link Shutdown}.
 *
 * <p>It is what its connections know of it ({@link ConnectionHost}) and what makes an accepted socket a connection
 * ({@link ConnectionMaker}).
 */
public final class Engine implements ConnectionHost, ConnectionMaker {
    /** Connection slots an engine grows to at most. */
    public static final int MAX_CONNECTIONS = 1 << 20;

    private final TransportProvider provider;
    private final String name;
    private final BufferPool pool;
    private final FlowSettings flow;
    /** Null when handlers run on the port threads. */
    private final WorkerPool workers;
    private final CompletionPort[] ports;
    private final Placement placement;
    private final ConnectionTable table;
    private final ConnectionRegistry registry;
    private final Traffic traffic = new Traffic();
    private final Statistics statistics;
    private final AtomicLong ids = new AtomicLong();
    private final Listeners listeners;
    private final Acceptance acceptance;
    private final Connector connector;
    private final IdleSweepers sweepers;
    /** The clock the timeouts read; partial frames are timed by it too. */
    private volatile LongSupplier clock = System::nanoTime;
    private final BlockingTasks blockingTasks;
    /** Keeps the memory budgets, and them from being spent by a few connections. */
    private BudgetWarden warden;
    private final Shutdown shutdown;

    public Engine(TransportProvider provider, String name, int ioThreads, BufferPool pool, int maxConnections)
            throws IOException {
        this(provider, name, ioThreads, pool, maxConnections, FlowSettings.DEFAULTS, null);
    }

    public Engine(TransportProvider provider, String name, int ioThreads, BufferPool pool, int maxConnections,
                  FlowSettings flow) throws IOException {
        this(provider, name, ioThreads, pool, maxConnections, flow, flow.workers() == 0 ? null
                : new WorkerPool(name + "-worker-", flow.workers(), flow.jobCapacity()));
    }

    /** With a job pool of the caller's (a test's, which runs its jobs by hand), or none. */
    Engine(TransportProvider provider, String name, int ioThreads, BufferPool pool, int maxConnections,
           FlowSettings flow, WorkerPool workers) throws IOException {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads=" + ioThreads);
        }
        this.provider = provider;
        this.name = name;
        this.blockingTasks = new BlockingTasks(name);
        this.pool = pool;
        this.flow = flow;
        this.workers = workers;
        this.table = new ConnectionTable(Math.min(1024, maxConnections), maxConnections);
        this.registry = new ConnectionRegistry(pool, table);
        this.ports = new CompletionPort[ioThreads];
        this.placement = new Placement(ports, provider.socketsMoveFreely(), this::isShutDown);
        this.sweepers = new IdleSweepers(ports, this::isShutDown);
        this.statistics = new Statistics(pool, ports, table, registry, traffic, placement);
        this.acceptance = new Acceptance(this, pool.tracksLeaks());
        this.listeners = new Listeners(provider, ports, acceptance::accept, this::isShutDown);
        this.connector = new Connector(this, ports, pool.tracksLeaks());
        this.shutdown = new Shutdown(name, new ShutdownSequence(this, listeners, table), blockingTasks,
                this::onEngineThread);
        try {
            for (int i = 0; i < ioThreads; i++) {
                int index = i;
                ports[i] = provider.openPort(new PortConfig(name + "-io-" + i, pool, table,
                        error -> shutdown.portFailed(index, error)));
                placement.portOpened(i);
            }
            warden = new BudgetWarden(this::isShutDown, ports[0], table);
            warden.start();
        } catch (IOException | RuntimeException e) {
            try {
                ShutdownSequence.stopPorts(name, ports);
                ShutdownSequence.stopWorkers(name, workers);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * The pool a builder gives its engine: the user's, or a new one that tracks leaks when asked (or when the system
     * property {@code iocp4j.trackLeaks} is true).
     *
     * @throws IllegalStateException when leak tracking is asked of a user's pool made without it
     */
    public static BufferPool poolFor(BufferPool given, boolean trackLeaks) {
        if (given == null) {
            return trackLeaks ? new BufferPool(BufferPool.DEFAULT_FREE_BYTES_PER_CLASS, true) : new BufferPool();
        }
        if (trackLeaks && !given.tracksLeaks()) {
            throw new IllegalStateException("trackLeaks(true) with a buffer pool made without leak tracking: "
                    + "make it with new BufferPool(bytes, true)");
        }
        return given;
    }

    // ---- set up, before the first listener opens or connect starts ----

    /**
     * Applies a server's admission rules and timeouts. Called once, before {@link #listen}: connections accepted
     * afterwards are judged by them, and each port starts sweeping for timeouts.
     */
    public void applyPolicies(AdmissionPolicy admission, Timeouts timeouts) {
        sweepers.start(timeouts);
        acceptance.apply(admission);
        this.clock = timeouts.clock();
    }

    /** Chooses how new connections are placed and whether running ones are moved. */
    public void applyBalancing(BalanceSettings settings) {
        placement.apply(settings);
    }

    /** Caps the memory all connections together may hold in partial frames and in send queues. */
    public void applyBudgets(MemoryBudgets budgets) {
        warden.apply(budgets);
    }

    // ---- where connections come from ----

    /**
     * Listens on {@code address} for {@code endpoint}: on every port when the transport lets several sockets share
     * an address, else on the first port. Returns the bound address (the real port when 0 was asked for).
     *
     * @param reusePort true to share the address with other servers that set SO_REUSEPORT too
     */
    public InetSocketAddress listen(InetSocketAddress address, int backlog, boolean reusePort, Endpoint endpoint)
            throws IOException {
        return listeners.listen(address, backlog, reusePort, endpoint);
    }

    /** Connects to {@code remote} from the port placement chooses: see {@link Connector#connect}. */
    public CompletableFuture<Connection> connect(InetSocketAddress remote, Endpoint endpoint, long timeoutNanos) {
        return connector.connect(remote, endpoint, timeoutNanos);
    }

    /** The port for a connection about to be made. */
    int choosePort() {
        return placement.choose();
    }

    /** Port thread: turns an open socket into a connection and starts it. Null when no slot is free. */
    RealConnection adopt(int portIndex, TransportSocket socket, Endpoint endpoint, Throwable site) {
        RealConnection connection = register(portIndex, socket, endpoint, site);
        if (connection != null) {
            start(connection);
        }
        return connection;
    }

    @Override
    public RealConnection register(int portIndex, TransportSocket socket, Endpoint endpoint, Throwable site) {
        RealConnection connection = new RealConnection(ids.incrementAndGet(), this, portIndex, socket, endpoint);
        if (!table.register(connection)) {
            socket.close(UserData.UNTRACKED);
            return null;
        }
        statistics.opened(connection, site);
        registry.add(connection);
        placement.added(connection, portIndex);
        sweepers.add(connection, portIndex);
        ConnectionOpenedEvent.emit(connection.id(), connection.remoteAddress(), portIndex);
        return connection;
    }

    @Override
    public int placeAccepted(int accepting) {
        return placement.placeAccepted(accepting);
    }

    /** The connection's port thread: it begins, or (arriving while the engine shuts down) begins closing. */
    @Override
    public void start(RealConnection connection) {
        // Read before start(): a first receive may complete inside it and its handler run, and a shutdown that
        // begins meanwhile finds this connection in the table and closes it gracefully, replies first.
        boolean arrivedDuringShutdown = isShutDown();
        connection.start();
        if (arrivedDuringShutdown) {
            connection.closeWith(CloseReason.SHUTDOWN);
        }
    }

    // ---- what connections reach of the engine ----

    @Override
    public CompletionPort port(int index) {
        return ports[index];
    }

    @Override
    public BufferPool pool() {
        return pool;
    }

    @Override
    public FlowSettings flow() {
        return flow;
    }

    @Override
    public MemoryBudget partialFrameBudget() {
        return warden.partialFrames();
    }

    @Override
    public MemoryBudget sendBudget() {
        return warden.sends();
    }

    @Override
    public LongSupplier clock() {
        return clock;
    }

    @Override
    public WorkerPool workerPool() {
        return workers;
    }

    @Override
    public Executor blockingTasks() {
        return blockingTasks;
    }

    @Override
    public Traffic traffic() {
        return traffic;
    }

    @Override
    public FrameProtocol fileProtocol(ProtocolContext context, FileHandler handler) {
        return new FileSession(context, handler);
    }

    @Override
    public void leftPort(RealConnection connection, int from, int to, boolean started) {
        sweepers.remove(connection, from);
        placement.left(connection, from, to, started);
    }

    @Override
    public void arrived(RealConnection connection, int portIndex) {
        sweepers.add(connection, portIndex);
        placement.arrived(connection, portIndex);
    }

    @Override
    public RejectReason readmit(RealConnection connection, InetSocketAddress client) {
        return acceptance.readmit(connection, client);
    }

    @Override
    public void released(RealConnection connection) {
        int portIndex = connection.portIndex();
        sweepers.remove(connection, portIndex);
        placement.removed(connection, portIndex);
        registry.remove(connection);
        acceptance.released(connection);
        statistics.releasing(connection, isShutDown());
        table.free(connection);
        statistics.released(connection);
    }

    // ---- what the server and client ask ----

    public String transportName() {
        return provider.name();
    }

    public int ioThreads() {
        return ports.length;
    }

    /** Live connections by id: look-ups, snapshots, closes and broadcasts. */
    public ConnectionRegistry registry() {
        return registry;
    }

    public List<Connection> connections() {
        return List.copyOf(table.snapshot());
    }

    public int connectionCount() {
        return table.inUse();
    }

    public ServerStats stats() {
        return statistics.stats(acceptance.policy(), warden.partialFrames(), warden.sends());
    }

    public List<PortStats> portStats() {
        return placement.portStats();
    }

    public long migrations() {
        return placement.migrations();
    }

    /** As {@link Placement#move}, for the connection with {@code id}. */
    public CompletableFuture<Boolean> move(long id, int target) {
        return placement.move((RealConnection) registry.connection(id), target);
    }

    /** The job pool as users see it. */
    public JobPool jobs() {
        return workers != null ? workers : JobPool.none();
    }

    public long staleCompletions() {
        return statistics.staleCompletions();
    }

    public int receiveBuffersHeld() {
        return statistics.receiveBuffersHeld();
    }

    public long handlerErrors() {
        return traffic.handlerErrors();
    }

    /** The leases and connections held now, with where they were taken when leak tracking is on. */
    public LeakReport leaks() {
        return statistics.leaks();
    }

    // ---- shutdown ----

    /** The error that ended a port thread and with it this engine, or null. */
    public Throwable failure() {
        return shutdown.failure();
    }

    /** Completes with the shutdown's report once this engine has shut down, for whatever reason. */
    public CompletableFuture<ShutdownReport> terminated() {
        return shutdown.terminated();
    }

    /** True once a shutdown has begun. */
    public boolean isShutDown() {
        return shutdown.begun();
    }

    /**
     * Stops accepting, lets every connection finish what it is sending for up to {@code grace}, closes the rest,
     * waits for their last completions and stops the port threads. Safe to call more than once and from any
     * thread; the work runs on a thread of its own.
     */
    public CompletableFuture<ShutdownReport> shutdownAsync(Duration grace) {
        return shutdown.begin(grace);
    }

    /**
     * {@link #shutdownAsync} and wait for it. On one of this engine's own threads (a handler), which the shutdown
     * waits for, it only begins the shutdown and returns {@link ShutdownReport#begun()}.
     */
    public ShutdownReport shutdown(Duration grace) {
        return shutdown.await(grace);
    }

    private boolean onEngineThread() {
        if (workers != null && workers.inWorkerThread()) {
            return true;
        }
        for (CompletionPort port : ports) {
            if (port.inPortThread()) {
                return true;
            }
        }
        return false;
    }

    // ---- for the shutdown sequence ----

    String name() {
        return name;
    }

    CompletionPort[] ports() {
        return ports;
    }

    WorkerPool workers() {
        return workers;
    }

    long releasedInShutdown() {
        return statistics.releasedInShutdown();
    }
}
