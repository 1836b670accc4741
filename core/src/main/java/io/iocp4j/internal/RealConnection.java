package io.iocp4j.internal;

import io.iocp4j.Attributes;
import io.iocp4j.CloseReason;
import io.iocp4j.RejectReason;
import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.events.FrameErrorEvent;
import io.iocp4j.internal.events.HandlerFailedEvent;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * A connection and its lifetime. The open state holds one reference and every operation in flight one more (the
 * connection's pending jobs, together, one more); each completion drops exactly its own, and when the count reaches
 * zero the connection is released: queued buffers go back to the pool, the slot is freed, and the handler hears
 * {@code onDisconnect} once.
 *
 * <p>The reference count, the receiving side ({@link Inbound}) and the write in flight ({@link Outbound}) belong to
 * the port thread. Other threads may only queue sends and request closes, which the port thread carries out.
 * Packets reach the handler through a {@link Delivery}: on the port thread, or as jobs on the worker pool.
 */
public final class RealConnection implements Connection {
    static final int OPEN = 0;
    /** No sends accepted, nothing more read; closes once the queue is written. */
    static final int DRAINING = 1;
    /** Close issued or about to be; queued sends are dropped. */
    static final int CLOSED = 2;
    /** Every completion has arrived and everything is given back. */
    static final int RELEASED = 3;

    private static final System.Logger LOG = System.getLogger(RealConnection.class.getName());
    private static final VarHandle STATE;
    private static final VarHandle REASON;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(RealConnection.class, "state", int.class);
            REASON = lookup.findVarHandle(RealConnection.class, "reason", CloseReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final Engine engine;
    /**
     * The port this connection is on. It changes only when the connection moves, written by the port it leaves
     * after everything of the move is handed over; a task that finds itself on another thread passes itself on
     * ({@link #onOwnPort}).
     */
    private volatile CompletionPort port;
    private volatile int portIndex;
    /** Null while the connection is on its way to another port. Port thread only. */
    private TransportSocket socket;
    /** Tasks that reached the new port before the connection arrived there; that port's thread only. */
    private ArrayDeque<Runnable> awaitingArrival;
    private final Endpoint endpoint;
    private final Delivery delivery;
    private final Outbound outbound;
    private final Inbound inbound;
    /** The file part of the protocol, for a {@link FileHandler}'s connections; null otherwise. */
    private final FileSession files;
    /** The byte stages between the socket and the codec; null when the endpoint declares none. */
    private final StageChain stages;
    /** A stage factory failed as the connection was made: it ends at its start, before any byte is read. */
    private Throwable stageSetupFailure;
    /** The peer's address; a PROXY header may replace it, once, before the handler hears of the connection. */
    private volatile InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;

    private volatile int state;
    private volatile CloseReason reason;
    private volatile Object attachment;
    private final Attributes attributes = new Attributes();

    // Set once by the connection table before the connection is started.
    private int slot;
    private int generation;

    // Port thread only.
    private int refCount = 1;
    private boolean closeIssued;
    /** The connection was started: it may move only from then on. */
    private boolean started;
    /**
     * The handler heard onConnect (or onOverLimit), so it will hear onDisconnect. A connection a stage ended before
     * letting its handler hear of it (a PROXY header refused) is never announced at either end.
     */
    private boolean announced;
    /** The port this connection is moving to, or -1. */
    private int moveTarget = -1;
    /** This connection's place in its port's {@link LoadMeter}; -1 when not measured. */
    private int meterIndex = -1;
    /** What the load meter saw of this connection's activity last, and its decaying average load. */
    private long activitySeen;
    private long load;
    /** This connection's place in its port's {@link IdleSweeper}; -1 when not swept. */
    private int sweepIndex = -1;
    /**
     * Bytes in and out. Written on the port thread only; the sweeper reads them there, snapshots read them from other
     * threads without a fence and may see them lag a little. Plain fields: the hot path pays an addition, no more.
     */
    private long bytesIn;
    private long bytesOut;
    /** Counted against the server's limits while it lives: given back once, when it is released. */
    private boolean admitted;
    private boolean holdsAddressPlace;
    private final long startNanos = System.nanoTime();

    RealConnection(long id, Engine engine, int portIndex, TransportSocket socket, Endpoint endpoint) {
        this.id = id;
        this.engine = engine;
        this.portIndex = portIndex;
        this.port = engine.port(portIndex);
        this.socket = socket;
        this.endpoint = endpoint;
        this.remoteAddress = socket.remoteAddress();
        this.localAddress = socket.localAddress();
        BufferPool pool = engine.pool();
        FrameDecoder decoder = endpoint.framing().newDecoder(pool, engine.partialFrameBudget());
        this.delivery = engine.workerPool() == null ? new PortDelivery(this)
                : new PoolDelivery(this, engine.workerPool(), pool, engine.flow());
        this.stages = makeStages(endpoint);
        this.outbound = new Outbound(this, engine.sendBudget(), stages);
        this.inbound = new Inbound(this, decoder, delivery, stages);
        this.files = endpoint.handler() instanceof FileHandler fileHandler && decoder != null
                ? new FileSession(this, fileHandler, outbound, inbound) : null;
        inbound.takeFileFrames(files);
    }

    private StageChain makeStages(Endpoint endpoint) {
        if (endpoint.stages().isEmpty()) {
            return null;
        }
        try {
            return new StageChain(this, endpoint.stages(), new StageHost());
        } catch (Throwable t) {
            stageSetupFailure = t;
            return null;
        }
    }

    BufferPool pool() {
        return engine.pool();
    }

    FlowSettings flow() {
        return engine.flow();
    }

    MemoryBudget partialFrameBudget() {
        return engine.partialFrameBudget();
    }

    MemoryBudget sendBudget() {
        return engine.sendBudget();
    }

    /** The timeouts' clock: partial frames are timed by it. */
    java.util.function.LongSupplier clock() {
        return engine.clock();
    }

    /** When the partial frame pending now began, or {@link Inbound#NO_PARTIAL_FRAME}. Port thread. */
    long partialFrameSince() {
        return inbound.partialFrameSince();
    }

    /** Reading is held by this side: a pending frame's clock starts again. Port thread. */
    void restartFrameClock(long now) {
        inbound.restartFrameClock(now);
    }

    /** Memory held now of what the peer sent (partial frame, kept copies). Racy off the port thread. */
    long receiveMemoryHeld() {
        return inbound.receiveMemoryHeld();
    }

    /** Memory held now in the send queue. Any thread. */
    long sendMemoryHeld() {
        return outbound.memoryHeld();
    }

    /** The memory budget warden asks this connection to stop reading until it says otherwise. Port thread. */
    void holdForBudget(boolean hold) {
        inbound.holdForBudget(hold);
    }

    Delivery delivery() {
        return delivery;
    }

    /** The file part of the protocol, or null when this connection takes no part in it. */
    FileSession files() {
        return files;
    }

    void assignSlot(int slot, int generation) {
        this.slot = slot;
        this.generation = generation;
    }

    int slot() {
        return slot;
    }

    int generation() {
        return generation;
    }

    int portIndex() {
        return portIndex;
    }

    CompletionPort port() {
        return port;
    }

    /** Port thread: the socket, or null while the connection moves to another port. */
    TransportSocket socket() {
        return socket;
    }

    /**
     * True on the thread of the port this connection is on, with its socket there. Otherwise {@code task} is
     * passed on to that port, or (on that port, before a move in progress has arrived) kept for the arrival to
     * run, and false is returned: every task posted for a connection starts with this, since the connection may
     * have moved after the task was posted.
     */
    boolean onOwnPort(Runnable task) {
        CompletionPort current = port;
        if (!current.inPortThread()) {
            current.execute(task);
            return false;
        }
        if (socket == null) {
            // Here, but the connection has not arrived yet: its arrival runs the task.
            if (awaitingArrival == null) {
                awaitingArrival = new ArrayDeque<>(2);
            }
            awaitingArrival.add(task);
            return false;
        }
        return true;
    }

    /** Any thread: runs {@code task} on this connection's port thread, following the connection if it moves. */
    void runOnPort(Runnable task) {
        port.execute(new Runnable() {
            @Override
            public void run() {
                if (onOwnPort(this)) {
                    task.run();
                }
            }
        });
    }

    int state() {
        return state;
    }

    long userData(int op) {
        return UserData.pack(slot, generation, op);
    }

    /** Counted by the admission rules; {@code holdsAddressPlace} unless a stage will name the real peer first. */
    void markAdmitted(boolean holdsAddressPlace) {
        admitted = true;
        this.holdsAddressPlace = holdsAddressPlace;
    }

    boolean admitted() {
        return admitted;
    }

    /** Whether the per-address limit counts this connection under its remote address. */
    boolean holdsAddressPlace() {
        return holdsAddressPlace;
    }

    int sweepIndex() {
        return sweepIndex;
    }

    void sweepIndex(int index) {
        sweepIndex = index;
    }

    Framing framing() {
        return endpoint.framing();
    }

    /** {@link System#nanoTime()} when this connection was made. */
    long startNanos() {
        return startNanos;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    long packetsIn() {
        return inbound.packetsIn();
    }

    long packetsOut() {
        return outbound.packetsWritten();
    }

    ConnectionInfo info(long nowNanos) {
        return new ConnectionInfo(id, remoteAddress, ConnectionRegistry.age(startNanos, nowNanos), bytesIn, bytesOut,
                packetsIn(), packetsOut(), queuedBytes(), portIndex, load);
    }

    /**
     * Port thread, for a connection over the server's limit: no {@code onConnect} and nothing read; the handler may
     * send a last word, then the connection closes once it is written.
     */
    void startOverLimit() {
        started = true;
        if (stageSetupFailure != null) {
            stageFailed(stageSetupFailure);
            return;
        }
        if (stages != null) {
            // The last word passes the stages like any send; a stage holding onConnect holds nothing here.
            stages.open();
        }
        announced = true;
        try {
            endpoint.handler().onOverLimit(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        drainThenClose(CloseReason.OVER_LIMIT);
    }

    /** Port thread: the sweeper found nothing in or out for the idle timeout; a last word, then the close. */
    void idleTimedOut() {
        if (state != OPEN) {
            return;
        }
        try {
            endpoint.handler().onIdleTimeout(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        drainThenClose(CloseReason.IDLE_TIMEOUT);
    }

    /**
     * Port thread: opens the stages, tells the handler (unless a stage holds onConnect until it has seen the first
     * bytes), then starts receiving.
     */
    void start() {
        started = true;
        if (stageSetupFailure != null) {
            stageFailed(stageSetupFailure);
            return;
        }
        if (stages == null) {
            announceConnect();
        } else if (!stages.open() && state == OPEN) {
            announceConnect();
        }
        inbound.arm();
    }

    private void announceConnect() {
        announced = true;
        try {
            endpoint.handler().onConnect(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /** A byte stage threw, or its setup did: the error goes to the handler and this connection ends. */
    private void stageFailed(Throwable error) {
        reportHandlerError(error);
        closeWith(CloseReason.STAGE_FAILED);
    }

    // ---- public API, any thread ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public boolean send(ByteBuffer packet) {
        if (state != OPEN) {
            return false;
        }
        IoBuffer shared = inbound.shareDelivered(packet);
        return outbound.enqueue(shared != null ? shared : endpoint.framing().encode(engine.pool(), packet));
    }

    @Override
    public boolean send(ByteBuffer... parts) {
        if (state != OPEN) {
            return false;
        }
        return outbound.enqueue(endpoint.framing().encode(engine.pool(), parts));
    }

    @Override
    public boolean sendEncoded(IoBuffer encoded) {
        if (state != OPEN) {
            encoded.release();
            return false;
        }
        return outbound.enqueue(encoded);
    }

    @Override
    public FileTransfer sendFile(Path path, String name) {
        return fileSession().outgoing().send(path, name);
    }

    @Override
    public FileTransfer requestFile(String name) {
        return fileSession().incoming().request(name);
    }

    private FileSession fileSession() {
        if (files == null) {
            throw new UnsupportedOperationException("file transfers need a framed connection whose handler is a "
                    + "FileHandler: " + this);
        }
        if (stages != null && stages.seesOutbound()) {
            throw new UnsupportedOperationException("a file goes from disk to socket as it is, so it cannot pass "
                    + "a byte stage that changes what is sent: " + this);
        }
        return files;
    }

    @Override
    public void close() {
        closeWith(CloseReason.CLOSED_LOCALLY);
    }

    @Override
    public void closeAfterFlush() {
        // A handler with ordered replies closes after its own replies, when its turn comes.
        if (!delivery.holdClose(CloseReason.CLOSED_LOCALLY)) {
            drainThenClose(CloseReason.CLOSED_LOCALLY);
        }
    }

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public CloseReason closeReason() {
        return reason;
    }

    @Override
    public boolean isWritable() {
        return outbound.isWritable();
    }

    @Override
    public long queuedBytes() {
        return outbound.queuedBytes();
    }

    /** Any thread: too many reply bytes are queued for this connection to take more packets. */
    boolean repliesHoldBackReading() {
        return outbound.holdsBackReading();
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    /** Closes now with {@code cause} unless a close has already begun. */
    public void closeWith(CloseReason cause) {
        for (;;) {
            int current = state;
            if (current >= CLOSED) {
                return;
            }
            if (STATE.compareAndSet(this, current, CLOSED)) {
                break;
            }
        }
        REASON.compareAndSet(this, null, cause);
        // Made here, not kept: the state above lets one caller this far, once in the connection's life.
        Runnable closeTask = new Runnable() {
            @Override
            public void run() {
                if (onOwnPort(this)) {
                    closeOnPort();
                }
            }
        };
        if (onOwnPort(closeTask)) {
            closeOnPort();
        }
    }

    /** Stops taking sends, lets the queue drain, then closes; {@code cause} is kept if it is the first. */
    void drainThenClose(CloseReason cause) {
        if (STATE.compareAndSet(this, OPEN, DRAINING)) {
            REASON.compareAndSet(this, null, cause);
            outbound.flushSoon();
        }
    }

    /** Port thread, graceful shutdown: the handler may send a last word, then the connection drains and closes. */
    void shutdownGracefully() {
        delivery.shutdown();
    }

    /** Any thread: a reply held for its turn goes to the send queue. */
    void enqueueReleased(IoBuffer reply) {
        outbound.enqueueReleased(reply);
    }

    // ---- completions and the receiving side, port thread ----

    void onCompletion(int op, int result, int flags, IoBuffer buffer) {
        switch (op) {
            case UserData.OP_RECEIVE -> inbound.onReceive(result, flags, buffer);
            case UserData.OP_WRITE -> outbound.onWritten(result);
            case UserData.OP_CLOSE -> dropReference();
            default -> {
                if (buffer != null) {
                    buffer.release();
                }
                throw new IllegalArgumentException("op=" + op);
            }
        }
        if (moveTarget >= 0) {
            finishMoveWhenQuiet();
        }
    }

    // ---- moving to another port, port thread ----

    /**
     * Starts moving this connection to port {@code target}: the receive in flight is asked to end; once it has,
     * no new write starts, and once the write in flight (if any) is done the socket is handed over; the new port
     * receives again and writes what was queued meanwhile, in order. Bytes received before the hand-over are
     * handled here first, so nothing is lost, repeated or reordered in either direction. (On NIO.2, which cannot
     * cancel a read, the move waits for the peer's next bytes.)
     *
     * @return false when the connection cannot move now: it is not open, already moving or already there, or in
     *         the middle of a file transfer
     */
    boolean moveTo(int target) {
        if (!started || target == portIndex || moveTarget >= 0 || state != OPEN || closeIssued || socket == null
                || (files != null && !files.idle())) {
            return false;
        }
        moveTarget = target;
        inbound.holdForMove();
        finishMoveWhenQuiet();
        return true;
    }

    /** Port thread, for a connection just accepted and not started: it starts on port {@code target} instead. */
    void startOn(int target) {
        handOver(target);
    }

    /** True while a move has begun here and the socket has not been handed over yet. */
    boolean moving() {
        return moveTarget >= 0;
    }

    private void finishMoveWhenQuiet() {
        if (closeIssued) {
            // The close took over; the socket stays where it is and ends there.
            moveTarget = -1;
            return;
        }
        if (inbound.receiving()) {
            // Writes go on meanwhile: a transport that cannot cancel a receive (NIO.2) ends it only when the peer
            // sends something, and a connection that only writes must not stall until then.
            return;
        }
        outbound.holdForMove();
        if (outbound.writing()) {
            return;
        }
        int to = moveTarget;
        moveTarget = -1;
        handOver(to);
    }

    private void handOver(int to) {
        SocketHandoff handoff = socket.handOff();
        socket = null;
        engine.leftPort(this, portIndex, to, started);
        CompletionPort next = engine.port(to);
        portIndex = to;
        // From here the new port's thread owns the connection (a task that reaches it before the arrival waits
        // for it, see onOwnPort), and sends made on that thread go to the plain queue, in order.
        port = next;
        next.execute(() -> arrive(to, next, handoff));
    }

    /** The new port's thread: the socket is adopted and the connection goes on where it stopped. */
    private void arrive(int index, CompletionPort next, SocketHandoff handoff) {
        socket = next.adopt(handoff);
        engine.arrived(this, index);
        if (started) {
            inbound.afterMove();
            outbound.afterMove();
        } else {
            engine.start(this);
        }
        Runnable waiting;
        while (awaitingArrival != null && (waiting = awaitingArrival.poll()) != null) {
            waiting.run();
        }
        awaitingArrival = null;
    }

    int meterIndex() {
        return meterIndex;
    }

    void meterIndex(int index) {
        meterIndex = index;
    }

    /**
     * Port thread, each load sample: the activity since the last sample (bytes both ways, each packet counted as
     * {@code packetWeight} bytes, since a small packet costs about as much work as that many bytes) folded into a
     * decaying average, in units per second; a connection quiet since the last sample trims its send queue. Returns
     * the new load.
     */
    long sampleLoad(long packetWeight, long intervalNanos) {
        long activity = bytesIn + bytesOut + packetWeight * (packetsIn() + packetsOut());
        long delta = activity - activitySeen;
        activitySeen = activity;
        if (delta == 0) {
            // Quiet for a whole sample: the send queue's structures are made again by the next send.
            outbound.trimWhenQuiet();
        }
        long rate = (long) (delta * (1_000_000_000.0 / intervalNanos));
        // Half the old average, half the new rate: a burst counts at once and fades within a few samples.
        load = (load + rate) >> 1;
        return load;
    }

    /** The decaying average of this connection's load, as the last sample left it. Port thread. */
    long load() {
        return load;
    }

    void countReceived(int bytes) {
        bytesIn += bytes;
        engine.countReceived(bytes);
    }

    /** Queued frames dropped unsent because the connection closed. */
    void countDropped(int frames) {
        if (frames > 0) {
            engine.countDropped(frames);
        }
    }

    void countSent(int bytes) {
        bytesOut += bytes;
        engine.countSent(bytes);
    }

    /** Nothing more is delivered; a multishot receive still in flight is asked to end. */
    void stopReceiving() {
        inbound.stop();
    }

    /** Reading paused for back-pressure may go on. */
    void resumeReceiving() {
        inbound.resume();
    }

    /** Port thread: reading is held by this side (a pause, a move, the budget), not waiting on the peer. */
    boolean readingHeldBySelf() {
        return inbound.heldBySelf();
    }

    /** Any thread. */
    boolean receivingPaused() {
        return inbound.isPaused();
    }

    /** Any thread: calls the handler for a packet or an event; a throw closes this connection only. */
    void callHandler(int kind, Object argument) {
        try {
            switch (kind) {
                case Job.PACKET -> endpoint.handler().onPacket(this, (ByteBuffer) argument);
                case Job.FRAME_ERROR -> {
                    FrameErrorEvent.emit(id, (FrameError) argument);
                    endpoint.handler().onFrameError(this, (FrameError) argument);
                }
                case Job.WRITABLE -> endpoint.handler().onWritable(this);
                case Job.SHUTDOWN -> endpoint.handler().onShutdown(this);
                default -> throw new IllegalStateException("no handler call for kind=" + kind);
            }
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void closeOnPort() {
        if (closeIssued) {
            return;
        }
        closeIssued = true;
        for (;;) {
            int current = state;
            if (current >= CLOSED || STATE.compareAndSet(this, current, CLOSED)) {
                break;
            }
        }
        REASON.compareAndSet(this, null, CloseReason.CLOSED_LOCALLY);
        inbound.close();
        outbound.closing();
        refCount++;
        socket.close(userData(UserData.OP_CLOSE));
        // The open state's own reference.
        dropReference();
    }

    /** An operation in flight, or the pending jobs, take a reference. */
    void acquire() {
        refCount++;
    }

    /** Drops one reference; the last one releases the connection. */
    void dropReference() {
        int count = --refCount;
        if (count > 0) {
            return;
        }
        if (count < 0) {
            throw new IllegalStateException("reference dropped twice: connection=" + id + " refCount=" + count);
        }
        state = RELEASED;
        outbound.released();
        inbound.released();
        if (stages != null) {
            stages.release();
        }
        if (files != null) {
            files.released();
        }
        engine.released(this);
        if (!announced) {
            return;
        }
        try {
            endpoint.handler().onDisconnect(this, reason);
        } catch (Throwable t) {
            reportHandlerError(t);
        }
    }

    private void handlerFailed(Throwable error) {
        HandlerFailedEvent.emit(id, error);
        reportHandlerError(error);
        closeWith(CloseReason.HANDLER_FAILED);
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    private void reportHandlerError(Throwable error) {
        engine.countHandlerError();
        try {
            endpoint.handler().onError(this, error);
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "onError failed on " + this, again);
        }
    }

    /** What the connection is waiting for, for a report of one that would not end. Racy off its port thread. */
    String describe() {
        return this + " on port " + portIndex + ": state " + state + ", references " + refCount
                + (closeIssued ? ", close issued" : "") + (socket == null ? ", between ports" : "")
                + (moveTarget >= 0 ? ", moving to port " + moveTarget : "") + ", " + inbound.describe() + ", "
                + outbound.describe();
    }

    /** What the byte stages reach of this connection. */
    private final class StageHost implements StageChain.Host {
        @Override
        public void inboundFromStages(ByteBuffer bytes) {
            inbound.fromStages(bytes);
        }

        @Override
        public void outboundFromStages(IoBuffer bytes) {
            outbound.fromStages(bytes);
        }

        @Override
        public void connectReleased() {
            if (state == OPEN) {
                announceConnect();
            }
        }

        @Override
        public void stageFailed(Throwable error) {
            RealConnection.this.stageFailed(error);
        }

        @Override
        public BufferPool pool() {
            return engine.pool();
        }

        @Override
        public MemoryBudget partialFrameBudget() {
            return engine.partialFrameBudget();
        }

        @Override
        public BlockingTasks blockingTasks() {
            return engine.blockingTasks();
        }

        @Override
        public void runOnPort(Runnable task) {
            RealConnection.this.runOnPort(task);
        }

        @Override
        public ScheduledTask schedule(long delayNanos, Runnable task) {
            return port.schedule(delayNanos, task);
        }

        @Override
        public void acquire() {
            RealConnection.this.acquire();
        }

        @Override
        public void dropReference() {
            RealConnection.this.dropReference();
        }

        @Override
        public boolean isOpen() {
            // A draining connection still passes bytes: a stage's last ones go out before the close.
            return state < CLOSED;
        }

        @Override
        public boolean peerIs(InetSocketAddress client) {
            RejectReason refused = engine.readmit(RealConnection.this, client);
            if (refused != null) {
                closeWith(refused == RejectReason.PER_ADDRESS_LIMIT ? CloseReason.OVER_LIMIT : CloseReason.BANNED);
                return false;
            }
            remoteAddress = client;
            holdsAddressPlace = true;
            return true;
        }

        @Override
        public void close(CloseReason reason, Throwable cause) {
            if (cause != null) {
                reportHandlerError(cause);
            }
            // What the stages passed out before (a TLS alert, a refusal) still goes out, then the socket closes.
            drainThenClose(reason);
        }
    }

    @Override
    public String toString() {
        return "Connection[id=" + id + ", remote=" + remoteAddress + "]";
    }
}
