package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameEncoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.frame.Framing;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

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
    private final int portIndex;
    private final CompletionPort port;
    private final TransportSocket socket;
    private final Endpoint endpoint;
    private final Handler handler;
    private final BufferPool pool;
    private final FrameDecoder decoder;
    private final Delivery delivery;
    private final Outbound outbound;
    private final Inbound inbound;
    /** The file part of the protocol, for a {@link FileHandler}'s connections; null otherwise. */
    private final FileSession files;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final Runnable closeTask = this::closeOnPort;

    private volatile int state;
    private volatile CloseReason reason;
    private volatile Object attachment;

    // Set once by the connection table before the connection is started.
    private int slot;
    private int generation;

    /** Where this connection was opened, when leak tracking is on; else null. */
    private Throwable openedAt;

    // Port thread only.
    private int refCount = 1;
    private boolean closeIssued;
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
    private final long startNanos = System.nanoTime();

    RealConnection(long id, Engine engine, int portIndex, TransportSocket socket, Endpoint endpoint) {
        this.id = id;
        this.engine = engine;
        this.portIndex = portIndex;
        this.port = engine.port(portIndex);
        this.socket = socket;
        this.endpoint = endpoint;
        this.handler = endpoint.handler();
        this.pool = engine.pool();
        this.decoder = endpoint.framing().isFramed() ? new FrameDecoder(endpoint.framing(), pool) : null;
        this.delivery = engine.workerPool() == null ? new PortDelivery(this)
                : new PoolDelivery(this, engine.workerPool(), pool, engine.flow());
        this.outbound = new Outbound(this, port, socket, delivery, engine.flow(), pool);
        this.inbound = new Inbound(this, socket, pool, decoder, delivery);
        this.files = handler instanceof FileHandler fileHandler && decoder != null
                ? new FileSession(this, fileHandler, outbound, inbound) : null;
        inbound.takeFileFrames(files);
        this.remoteAddress = socket.remoteAddress();
        this.localAddress = socket.localAddress();
    }

    void openedAt(Throwable site) {
        openedAt = site;
    }

    Throwable openedAt() {
        return openedAt;
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

    int state() {
        return state;
    }

    long userData(int op) {
        return UserData.pack(slot, generation, op);
    }

    void markAdmitted() {
        admitted = true;
    }

    boolean admitted() {
        return admitted;
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
                packetsIn(), packetsOut(), queuedBytes());
    }

    /**
     * Port thread, for a connection over the server's limit: no {@code onConnect} and nothing read; the handler may
     * send a last word, then the connection closes once it is written.
     */
    void startOverLimit() {
        try {
            handler.onOverLimit(this);
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
            handler.onIdleTimeout(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        drainThenClose(CloseReason.IDLE_TIMEOUT);
    }

    /** Port thread: tells the handler, then starts receiving. */
    void start() {
        try {
            handler.onConnect(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        inbound.arm();
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
        return outbound.enqueue(FrameEncoder.encode(pool, endpoint.framing(), packet));
    }

    @Override
    public boolean send(ByteBuffer... parts) {
        if (state != OPEN) {
            return false;
        }
        return outbound.enqueue(FrameEncoder.encode(pool, endpoint.framing(), parts));
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
        if (port.inPortThread()) {
            closeOnPort();
        } else {
            port.execute(closeTask);
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

    /** Any thread. */
    boolean receivingPaused() {
        return inbound.isPaused();
    }

    /** Any thread: calls the handler for a packet or an event; a throw closes this connection only. */
    void callHandler(int kind, Object argument) {
        try {
            switch (kind) {
                case Job.PACKET -> handler.onPacket(this, (ByteBuffer) argument);
                case Job.FRAME_ERROR -> handler.onFrameError(this, (FrameError) argument);
                case Job.WRITABLE -> handler.onWritable(this);
                case Job.SHUTDOWN -> handler.onShutdown(this);
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
        if (decoder != null) {
            decoder.release();
        }
        if (files != null) {
            files.released();
        }
        engine.released(this);
        try {
            handler.onDisconnect(this, reason);
        } catch (Throwable t) {
            reportHandlerError(t);
        }
    }

    private void handlerFailed(Throwable error) {
        reportHandlerError(error);
        closeWith(CloseReason.HANDLER_FAILED);
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    private void reportHandlerError(Throwable error) {
        engine.countHandlerError();
        try {
            handler.onError(this, error);
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "onError failed on " + this, again);
        }
    }

    @Override
    public String toString() {
        return "Connection[id=" + id + ", remote=" + remoteAddress + "]";
    }
}
