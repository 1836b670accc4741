package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.LeakReport;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;
import io.iocp4j.ShutdownReport;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.internal.events.ConnectionClosedEvent;
import io.iocp4j.internal.events.ConnectionOpenedEvent;
import io.iocp4j.internal.events.ConnectionRejectedEvent;
import io.iocp4j.internal.events.ShutdownEvent;
import io.iocp4j.job.JobPool;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.ConnectHandler;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.TransportProvider;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The machinery a server or a client runs on: completion ports with their threads, the buffer pool, the
 * connection table, the job pool when handlers run on workers, and the one way a connection is born
 * ({@link #adopt}) and released.
 */
public final class Engine {
    /** Connection slots an engine grows to at most. */
    public static final int MAX_CONNECTIONS = 1 << 20;
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final TransportProvider provider;
    private final String name;
    private final BufferPool pool;
    private final FlowSettings flow;
    /** Null when handlers run on the port threads. */
    private final WorkerPool workers;
    private final CompletionPort[] ports;
    private final PortLoad portLoad;
    /** One per port: its connections and their load. */
    private final LoadMeter[] meters;
    private final LongAdder migrations = new LongAdder();
    /** Set before the first listener opens or connect starts. */
    private volatile BalanceSettings balance = BalanceSettings.DEFAULTS;
    private final ConnectionTable table;
    /**
     * Where each live connection was opened, when leak tracking is on (empty otherwise): kept here rather than in
     * every connection, since only leak reports read it.
     */
    private final Map<RealConnection, Throwable> openSites = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder sendsDropped = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder connectionsTotal = new LongAdder();
    /** Connections released since the shutdown began: open then, or arrived while the listeners closed. */
    private final LongAdder releasedInShutdown = new LongAdder();
    private final Listeners listeners;
    private final ConnectionRegistry registry;
    /** Who accepted sockets let in; set before the first listener opens. */
    private volatile AdmissionPolicy admission = AdmissionPolicy.open();
    /** One per port when timeouts are set, else null; set before the first listener opens. */
    private volatile IdleSweeper[] sweepers;
    /** Set before the first listener opens or connect starts; the warden reads them on each look. */
    private volatile MemoryBudget partialFrameBudget = new MemoryBudget("partialFrameBudget",
            MemoryBudgets.DEFAULT_PARTIAL_FRAME_BYTES);
    private volatile MemoryBudget sendBudget = new MemoryBudget("sendBudget", MemoryBudgets.DEFAULT_SEND_BYTES);
    /** The clock the timeouts read; partial frames are timed by it too. */
    private volatile LongSupplier clock = System::nanoTime;
    private final CloseCounts closeCounts = new CloseCounts();
    private final BlockingTasks blockingTasks;
    private BudgetWarden warden;
    private final CompletableFuture<ShutdownReport> shutdown = new CompletableFuture<>();
    private volatile boolean shuttingDown;
    private volatile Thread shutdownThread;
    /** Set when a port thread ended by an error. */
    private volatile Throwable failure;

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
        this.portLoad = new PortLoad(ioThreads);
        this.meters = new LoadMeter[ioThreads];
        this.listeners = new Listeners(provider, ports, this::accept, () -> shuttingDown);
        try {
            for (int i = 0; i < ioThreads; i++) {
                int index = i;
                ports[i] = provider.openPort(new PortConfig(name + "-io-" + i, pool, table,
                        error -> portFailed(index, error)));
                meters[i] = new LoadMeter(this, i, ports[i], portLoad);
            }
            warden = new BudgetWarden(this, ports[0], table);
            warden.start();
            partialFrameBudget.whenPastHighMark(warden::wake);
            sendBudget.whenPastHighMark(warden::wake);
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

    public BufferPool pool() {
        return pool;
    }

    /**
     * Applies a server's admission rules and timeouts. Called once, before {@link #listen}: connections accepted
     * afterwards are judged by them, and each port starts sweeping for timeouts.
     */
    public void applyPolicies(AdmissionPolicy admission, Timeouts timeouts) {
        if (this.sweepers != null) {
            throw new IllegalStateException("policies already applied");
        }
        this.admission = admission;
        this.clock = timeouts.clock();
        if (timeouts.any()) {
            IdleSweeper[] perPort = new IdleSweeper[ports.length];
            for (int i = 0; i < ports.length; i++) {
                perPort[i] = new IdleSweeper(this, ports[i], timeouts);
            }
            this.sweepers = perPort;
            for (IdleSweeper sweeper : perPort) {
                sweeper.start();
            }
        }
    }

    /**
     * Chooses how new connections are placed and whether running ones are moved. Called once, before the first
     * listener opens or connect starts; meters sample each port from then on, and the rebalancer (when it runs)
     * moves connections on the first port's timer.
     */
    public void applyBalancing(BalanceSettings settings) {
        this.balance = settings;
        boolean rebalancing = settings.rebalances() && ports.length > 1;
        for (LoadMeter meter : meters) {
            meter.start(rebalancing);
        }
        if (rebalancing) {
            new Rebalancer(this, ports[0], meters, settings.rebalanceInterval().toNanos(), settings.factor()).start();
        }
    }

    /**
     * Caps the memory all connections together may hold in partial frames and in send queues. Called before the
     * first listener opens or connect starts.
     */
    public void applyBudgets(MemoryBudgets budgets) {
        MemoryBudget partial = new MemoryBudget("partialFrameBudget", budgets.partialFrameBytes());
        MemoryBudget send = new MemoryBudget("sendBudget", budgets.sendQueueBytes());
        partial.whenPastHighMark(warden::wake);
        send.whenPastHighMark(warden::wake);
        this.partialFrameBudget = partial;
        this.sendBudget = send;
    }

    MemoryBudget partialFrameBudget() {
        return partialFrameBudget;
    }

    MemoryBudget sendBudget() {
        return sendBudget;
    }

    /** Where stages run what must not run on a port thread. */
    BlockingTasks blockingTasks() {
        return blockingTasks;
    }

    LongSupplier clock() {
        return clock;
    }

    /**
     * A port thread ended by an error: its connections will never be served. Rather than go on accepting what
     * nothing serves, the engine shuts down, briefly, and its report says why.
     */
    private void portFailed(int index, Throwable error) {
        failure = error;
        LOG.log(System.Logger.Level.ERROR, name + ": I/O thread " + index + " failed; shutting down", error);
        shutdownAsync(Duration.ZERO);
    }

    /** The error that ended a port thread and with it this engine, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Completes with the shutdown's report once this engine has shut down, for whatever reason. */
    public CompletableFuture<ShutdownReport> terminated() {
        return shutdown;
    }

    /** True once a shutdown has begun. */
    public boolean isShutDown() {
        return shuttingDown;
    }

    /** Live connections by id: look-ups, snapshots, closes and broadcasts. */
    public ConnectionRegistry registry() {
        return registry;
    }

    public ServerStats stats() {
        return new ServerStats(connectionCount(), registry.peak(), connectionsTotal(), admission.accepted(),
                admission.rejected(), bytesReceived(), bytesSent(), registry.packetsIn(), registry.packetsOut(),
                staleCompletions(), migrations(), portStats(), closeCounts.snapshot(), partialFrameBudget.used(),
                sendBudget.used());
    }

    /** Each port's connections and measured load now. */
    public List<PortStats> portStats() {
        List<PortStats> stats = new ArrayList<>(ports.length);
        for (int i = 0; i < ports.length; i++) {
            stats.add(new PortStats(i, portLoad.connections(i), portLoad.load(i)));
        }
        return stats;
    }

    /** Open connections moved from one port to another since the start. */
    public long migrations() {
        return migrations.sum();
    }

    /**
     * Any thread: asks the connection with {@code id} to move to port {@code target}. The move is carried out by
     * its current port, after the operations in flight there; the future tells whether it began (false when the
     * connection is gone, closing, in a file transfer, moving already, or on that port).
     */
    public CompletableFuture<Boolean> move(long id, int target) {
        if (target < 0 || target >= ports.length) {
            throw new IllegalArgumentException("port=" + target + " (this engine has ports 0 to "
                    + (ports.length - 1) + ")");
        }
        CompletableFuture<Boolean> begun = new CompletableFuture<>();
        RealConnection connection = (RealConnection) registry.connection(id);
        if (connection == null) {
            begun.complete(false);
            return begun;
        }
        connection.runOnPort(() -> begun.complete(connection.moveTo(target)));
        return begun;
    }

    public String transportName() {
        return provider.name();
    }

    public FlowSettings flow() {
        return flow;
    }

    /** The job pool, or null when handlers run on the port threads. */
    WorkerPool workerPool() {
        return workers;
    }

    /** The job pool as users see it. */
    public JobPool jobs() {
        return workers != null ? workers : JobPool.none();
    }

    CompletionPort port(int index) {
        return ports[index];
    }

    CompletionPort[] ports() {
        return ports;
    }

    String name() {
        return name;
    }

    /** Queued frames dropped unsent because their connection closed, over the whole run. */
    long sendsDropped() {
        return sendsDropped.sum();
    }

    /** Connections released since the shutdown began. */
    long releasedInShutdown() {
        return releasedInShutdown.sum();
    }

    public int ioThreads() {
        return ports.length;
    }

    public int connectionCount() {
        return table.inUse();
    }

    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** Completions that arrived for a connection or socket already gone, counted by the table and the ports. */
    public long staleCompletions() {
        long stale = table.staleCompletions();
        for (CompletionPort port : ports) {
            stale += port.staleCompletions();
        }
        return stale;
    }

    /** Receive buffers the ports hold now: lent out with received bytes, or waiting in reads. */
    public int receiveBuffersHeld() {
        int held = 0;
        for (CompletionPort port : ports) {
            held += port.receiveBuffersHeld();
        }
        return held;
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long handlerErrors() {
        return handlerErrors.sum();
    }

    public List<Connection> connections() {
        return List.copyOf(table.snapshot());
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

    /** The leases and connections held now, with where they were taken when leak tracking is on. */
    public LeakReport leaks() {
        List<RealConnection> held = table.snapshot();
        List<Throwable> connectionSites = new ArrayList<>();
        for (RealConnection connection : held) {
            Throwable site = openSites.get(connection);
            if (site != null) {
                connectionSites.add(site);
            }
        }
        return new LeakReport(pool.leasesOutstanding(), pool.outstandingLeaseSites(), held.size(), connectionSites);
    }

    void countReceived(int bytes) {
        bytesReceived.add(bytes);
    }

    void countSent(int bytes) {
        bytesSent.add(bytes);
    }

    void countDropped(int frames) {
        sendsDropped.add(frames);
    }

    void countHandlerError() {
        handlerErrors.increment();
    }

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

    /** Connects to {@code remote} from the port with the fewest connections. */
    public CompletableFuture<Connection> connect(InetSocketAddress remote, Endpoint endpoint) {
        return connect(remote, endpoint, 0);
    }

    /**
     * As {@link #connect(InetSocketAddress, Endpoint)}, failing with a {@link SocketTimeoutException} when the
     * connect has not completed within {@code timeoutNanos} (0: no limit). A connect that completes after that is
     * closed at once.
     */
    public CompletableFuture<Connection> connect(InetSocketAddress remote, Endpoint endpoint, long timeoutNanos) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (shuttingDown) {
            result.completeExceptionally(new IllegalStateException("shut down"));
            return result;
        }
        int portIndex = portLoad.choose(balance.mode());
        // Taken on the caller's thread, so that a leaked connection names the code that opened it.
        Throwable site = pool.tracksLeaks() ? new Throwable("connection to " + remote + " opened here") : null;
        ScheduledTask timeout = timeoutNanos <= 0 ? null : ports[portIndex].schedule(timeoutNanos,
                () -> result.completeExceptionally(new SocketTimeoutException("connect to " + remote
                        + " timed out after " + Duration.ofNanos(timeoutNanos).toMillis() + " ms")));
        ports[portIndex].connect(remote, new ConnectHandler() {
            @Override
            public void onConnected(TransportSocket socket) {
                if (timeout != null && !timeout.cancel()) {
                    // Too late: the caller was told it timed out. (The timer and this run on the same thread.)
                    socket.close(UserData.UNTRACKED);
                    return;
                }
                RealConnection connection = adopt(portIndex, socket, endpoint, site);
                if (connection == null) {
                    result.completeExceptionally(new IOException("connection table full"));
                } else {
                    result.complete(connection);
                }
            }

            @Override
            public void onConnectFailed(IOException error) {
                if (timeout != null) {
                    timeout.cancel();
                }
                result.completeExceptionally(SocketFailures.connecting(remote, error));
            }
        });
        return result;
    }

    /** Port thread: turns an open socket into a connection and starts it. Null when no slot is free. */
    RealConnection adopt(int portIndex, TransportSocket socket, Endpoint endpoint, Throwable site) {
        RealConnection connection = register(portIndex, socket, endpoint, site);
        if (connection != null) {
            start(connection);
        }
        return connection;
    }

    /**
     * Port thread: a connection for {@code socket} in the table, not yet started. Null when no slot is free.
     * {@code site}: where it was opened, for leak reports, or null.
     */
    private RealConnection register(int portIndex, TransportSocket socket, Endpoint endpoint, Throwable site) {
        RealConnection connection = new RealConnection(ids.incrementAndGet(), this, portIndex, socket, endpoint);
        if (!table.register(connection)) {
            socket.close(UserData.UNTRACKED);
            return null;
        }
        if (site != null) {
            openSites.put(connection, site);
        }
        portLoad.added(portIndex);
        connectionsTotal.increment();
        registry.add(connection);
        joinPort(connection, portIndex);
        ConnectionOpenedEvent.emit(connection.id(), connection.remoteAddress(), portIndex);
        return connection;
    }

    /** The port thread of {@code portIndex}: the connection is swept and measured there from now on. */
    private void joinPort(RealConnection connection, int portIndex) {
        IdleSweeper[] perPort = sweepers;
        if (perPort != null) {
            perPort[portIndex].add(connection);
        }
        meters[portIndex].add(connection);
    }

    /** The port thread of {@code from}, as a connection leaves it for {@code to}. */
    void leftPort(RealConnection connection, int from, int to, boolean started) {
        IdleSweeper[] perPort = sweepers;
        if (perPort != null) {
            perPort[from].remove(connection);
        }
        meters[from].remove(connection);
        portLoad.moved(from, to, connection.load());
        if (started) {
            migrations.increment();
        }
    }

    /** The port thread of {@code portIndex}, as a connection arrives there. */
    void arrived(RealConnection connection, int portIndex) {
        joinPort(connection, portIndex);
    }

    /**
     * The port a socket accepted on {@code accepting} should live on. A transport that pays for every move of a
     * socket keeps it where it was accepted unless the chosen port is clearly better.
     */
    private int placeAccepted(int accepting) {
        if (ports.length == 1) {
            return accepting;
        }
        BalanceSettings settings = balance;
        int chosen = portLoad.choose(settings.mode());
        if (chosen != accepting && !provider.socketsMoveFreely()
                && !portLoad.clearlyBetter(settings.mode(), chosen, accepting, settings.factor())) {
            return accepting;
        }
        return chosen;
    }

    /**
     * Port thread, for a socket a listener accepted: the admission policy decides, before the socket is given
     * anything, whether it becomes a connection, is closed at once, or (over the connection limit) gets a
     * connection only for the handler's last word.
     */
    private void accept(int portIndex, TransportSocket socket, Endpoint endpoint) {
        InetSocketAddress remote = socket.remoteAddress();
        boolean peerNamedLater = remote != null && endpoint.peerNamedLater(remote.getAddress());
        RejectReason verdict = admission.admit(remote, peerNamedLater);
        if (verdict != null) {
            ConnectionRejectedEvent.emit(remote, verdict);
        }
        if (verdict != null && verdict != RejectReason.CONNECTION_LIMIT) {
            // Through the completion path like every close; the socket never became a connection.
            socket.close(UserData.UNTRACKED);
            return;
        }
        Throwable site = pool.tracksLeaks() ? new Throwable("connection from " + remote + " accepted here") : null;
        if (verdict == null) {
            RealConnection connection = register(portIndex, socket, endpoint, site);
            if (connection == null) {
                admission.released(remote, !peerNamedLater);
                admission.recountAsTableFull();
                ConnectionRejectedEvent.emit(remote, RejectReason.TABLE_FULL);
                LOG.log(System.Logger.Level.WARNING, "connection table full; refused " + remote);
                return;
            }
            connection.markAdmitted(!peerNamedLater);
            int target = placeAccepted(portIndex);
            if (target == portIndex) {
                start(connection);
            } else {
                connection.startOn(target);
            }
        } else {
            RealConnection connection = register(portIndex, socket, endpoint, site);
            if (connection != null) {
                connection.startOverLimit();
            }
        }
    }

    /**
     * Port thread: {@code connection} turned out to speak for {@code client} (a PROXY header); null when the
     * admission rules let the client in, else why not.
     */
    RejectReason readmit(RealConnection connection, InetSocketAddress client) {
        if (!connection.admitted()) {
            return null;
        }
        RejectReason verdict = admission.readmit(connection.remoteAddress(), connection.holdsAddressPlace(), client);
        if (verdict != null) {
            ConnectionRejectedEvent.emit(client, verdict);
        }
        return verdict;
    }

    /** The connection's port thread: it begins, or (arriving while the engine shuts down) begins closing. */
    void start(RealConnection connection) {
        // Read before start(): a first receive may complete inside it and its handler run, and a shutdown that
        // begins meanwhile finds this connection in the table and closes it gracefully, replies first.
        boolean arrivedDuringShutdown = shuttingDown;
        connection.start();
        if (arrivedDuringShutdown) {
            connection.closeWith(CloseReason.SHUTDOWN);
        }
    }

    /** Port thread: the connection's last reference is gone. */
    void released(RealConnection connection) {
        int portIndex = connection.portIndex();
        portLoad.removed(portIndex);
        IdleSweeper[] perPort = sweepers;
        if (perPort != null) {
            perPort[portIndex].remove(connection);
        }
        meters[portIndex].remove(connection);
        registry.remove(connection);
        if (connection.admitted()) {
            admission.released(connection.remoteAddress(), connection.holdsAddressPlace());
        }
        if (shuttingDown) {
            // Counted before the slot is freed: the shutdown reads the count once the table is empty.
            releasedInShutdown.increment();
        }
        openSites.remove(connection);
        table.free(connection);
        // Counted once the slot is free, so that whoever sees the count sees the connection gone from every total.
        closeCounts.count(connection.closeReason());
        ConnectionClosedEvent.emit(connection.id(), connection.remoteAddress(), connection.closeReason(),
                connection.bytesIn(), connection.bytesOut(), connection.startNanos());
    }

    /**
     * Stops accepting, lets every connection finish what it is sending for up to {@code grace}, closes the rest,
     * waits for their last completions and stops the port threads. Safe to call more than once and from any
     * thread; the work runs on a thread of its own.
     */
    public CompletableFuture<ShutdownReport> shutdownAsync(Duration grace) {
        Thread worker;
        synchronized (this) {
            if (shuttingDown) {
                return shutdown;
            }
            shuttingDown = true;
            // Assigned before it starts, so whoever sees the report also sees the thread to wait for.
            worker = Thread.ofPlatform().name(name + "-shutdown").unstarted(() -> {
                try {
                    ShutdownReport report = new ShutdownSequence(this, listeners, table).run(grace);
                    blockingTasks.shutdown();
                    ShutdownEvent.emit(name, report);
                    shutdown.complete(report);
                } catch (Throwable t) {
                    shutdown.completeExceptionally(t);
                }
            });
            shutdownThread = worker;
        }
        worker.start();
        return shutdown;
    }

    /**
     * {@link #shutdownAsync} and wait for it. On one of this engine's own threads (a handler), which the shutdown
     * waits for, it only begins the shutdown and returns {@link ShutdownReport#begun()}.
     */
    public ShutdownReport shutdown(Duration grace) {
        CompletableFuture<ShutdownReport> running = shutdownAsync(grace);
        if (inOwnThread()) {
            return running.getNow(ShutdownReport.begun());
        }
        ShutdownReport report = running.join();
        // The report is complete a moment before the thread that made it has ended; when this returns, no
        // thread of the engine is left.
        Thread worker = shutdownThread;
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
        return report;
    }

    private boolean inOwnThread() {
        return inPortThread() || (workers != null && workers.inWorkerThread())
                || Thread.currentThread() == shutdownThread;
    }

    private boolean inPortThread() {
        for (CompletionPort port : ports) {
            if (port.inPortThread()) {
                return true;
            }
        }
        return false;
    }
}
