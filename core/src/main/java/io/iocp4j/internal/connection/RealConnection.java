package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileTransfers;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.Framing;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A connection and its lifetime. The open state holds one reference and every operation in flight one more (the
 * connection's pending jobs, together, one more); each completion drops exactly its own, and when the count reaches
 * zero the connection is released: queued buffers go back to the pool, the slot is freed, and the handler hears
 * {@code onDisconnect} once.
 *
 * <p>The reference count, the receiving side ({@link Inbound}) and the write in flight ({@link Outbound}) belong to
 * the port thread. Other threads may only queue sends and request closes, which the port thread carries out.
 * Packets reach the handler through a {@link Delivery}: on the port thread, or as jobs on the worker pool. Each of
 * them reaches this connection through a context of its own ({@link ReceiveContext}, {@link SendContext},
 * {@link DeliveryContext}), and the engine through its {@link ConnectionHost}. Where the connection lives and how it
 * moves are its {@link PortResident} part; what is known and counted of it, its {@link ConnectionRecord}.
 */
public final class RealConnection extends PortResident implements Connection, FileTransfers.Carrier, ReceiveContext,
        SendContext, DeliveryContext {
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

    private final Endpoint endpoint;
    private final Delivery delivery;
    private final Outbound outbound;
    private final Inbound inbound;
    /** The file part of the protocol, for a {@link FileHandler}'s framed connections; null otherwise. */
    private final FrameProtocol protocol;
    /** The byte stages between the socket and the codec; null when the endpoint declares none. */
    private final StageChain stages;
    /** A stage factory failed as the connection was made: it ends at its start, before any byte is read. */
    private Throwable stageSetupFailure;

    private volatile int state;
    private volatile CloseReason reason;

    // Port thread only.
    private int refCount = 1;
    private boolean closeIssued;
    /** The connection was started: it may move only from then on. */
    private boolean started;

    public RealConnection(long id, ConnectionHost host, int portIndex, TransportSocket socket, Endpoint endpoint) {
        super(id, host, portIndex, socket);
        this.endpoint = endpoint;
        BufferPool pool = host.pool();
        FrameDecoder decoder = endpoint.framing().newDecoder(pool, host.partialFrameBudget());
        this.delivery = host.workerPool() == null ? new PortDelivery(this, endpoint.handler(), traffic())
                : new PoolDelivery(this, endpoint.handler(), traffic(), host.workerPool(), pool, host.flow());
        this.stages = makeStages(endpoint);
        this.inbound = new Inbound(this, host, decoder, delivery, stages);
        this.outbound = new Outbound(this, host.flow(), host.sendBudget(), delivery, stages, inbound);
        delivery.attach(inbound, outbound);
        // The file protocol finds its messages among the frames: an unframed connection has none.
        this.protocol = endpoint.handler() instanceof FileHandler files && decoder != null
                ? host.fileProtocol(new ProtocolHost(this, inbound, outbound), files) : null;
        inbound.takeProtocolFrames(protocol);
    }

    private StageChain makeStages(Endpoint endpoint) {
        if (endpoint.stages().isEmpty()) {
            return null;
        }
        try {
            return new StageChain(this, endpoint.stages(), new StageHost(this, host));
        } catch (Throwable t) {
            stageSetupFailure = t;
            return null;
        }
    }

    Delivery delivery() {
        return delivery;
    }

    /** The receiving side: its frame clock, memory and holds, as the sweeper and the budget warden see them. */
    public Inbound inbound() {
        return inbound;
    }

    /** The sending side: its memory and counts, as statistics and the budget warden see them. */
    public Outbound outbound() {
        return outbound;
    }

    StageChain stages() {
        return stages;
    }

    /** The protocol above framing that takes part of this connection's frames, or null. */
    public FrameProtocol protocol() {
        return protocol;
    }

    /** One of {@link ConnectionState}'s. */
    @Override
    public int state() {
        return state;
    }

    public Framing framing() {
        return endpoint.framing();
    }

    public long packetsIn() {
        return inbound.packetsIn();
    }

    public long packetsOut() {
        return outbound.packetsWritten();
    }

    /**
     * Port thread, for a connection over the server's limit: no {@code onConnect} and nothing read; the handler may
     * send a last word, then the connection closes once it is written.
     */
    public void startOverLimit() {
        started = true;
        if (stageSetupFailure != null) {
            stageFailed(stageSetupFailure);
            return;
        }
        if (stages != null) {
            // The last word passes the stages like any send; a stage holding onConnect holds nothing here.
            stages.open();
        }
        delivery.overLimit();
        drainThenClose(CloseReason.OVER_LIMIT);
    }

    /** Port thread: the sweeper found nothing in or out for the idle timeout; a last word, then the close. */
    public void idleTimedOut() {
        if (state != ConnectionState.OPEN) {
            return;
        }
        delivery.idleTimedOut();
        drainThenClose(CloseReason.IDLE_TIMEOUT);
    }

    /**
     * Port thread: opens the stages, tells the handler (unless a stage holds onConnect until it has seen the first
     * bytes), then starts receiving.
     */
    public void start() {
        started = true;
        if (stageSetupFailure != null) {
            stageFailed(stageSetupFailure);
            return;
        }
        if (stages == null) {
            delivery.connected();
        } else if (!stages.open() && state == ConnectionState.OPEN) {
            delivery.connected();
        }
        inbound.arm();
    }

    /** A stage released onConnect: the handler hears it now, if the connection is still open. */
    void connectReleased() {
        if (state == ConnectionState.OPEN) {
            delivery.connected();
        }
    }

    /** A byte stage threw, or its setup did: the error goes to the handler and this connection ends. */
    void stageFailed(Throwable error) {
        delivery.reportError(error);
        closeWith(CloseReason.STAGE_FAILED);
    }

    // ---- public API, any thread ----

    @Override
    public boolean send(ByteBuffer packet) {
        if (state != ConnectionState.OPEN) {
            return false;
        }
        IoBuffer shared = inbound.shareDelivered(packet);
        return outbound.enqueue(shared != null ? shared : endpoint.framing().encode(host.pool(), packet));
    }

    @Override
    public boolean send(ByteBuffer... parts) {
        if (state != ConnectionState.OPEN) {
            return false;
        }
        return outbound.enqueue(endpoint.framing().encode(host.pool(), parts));
    }

    @Override
    public boolean sendEncoded(IoBuffer encoded) {
        if (state != ConnectionState.OPEN) {
            encoded.release();
            return false;
        }
        return outbound.enqueue(encoded);
    }

    @Override
    public FileTransfers fileTransfers() {
        if (protocol instanceof FileTransfers files) {
            return files;
        }
        throw new UnsupportedOperationException("file transfers need a framed connection whose handler is a "
                + "FileHandler: " + this);
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
        return state == ConnectionState.OPEN;
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

    // ---- closing ----

    /** Closes now with {@code cause} unless a close has already begun. */
    @Override
    public void closeWith(CloseReason cause) {
        for (;;) {
            int current = state;
            if (current >= ConnectionState.CLOSED) {
                return;
            }
            if (STATE.compareAndSet(this, current, ConnectionState.CLOSED)) {
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
    @Override
    public void drainThenClose(CloseReason cause) {
        if (STATE.compareAndSet(this, ConnectionState.OPEN, ConnectionState.DRAINING)) {
            REASON.compareAndSet(this, null, cause);
            outbound.flushSoon();
        }
    }

    /** Port thread, graceful shutdown: the handler may send a last word, then the connection drains and closes. */
    public void shutdownGracefully() {
        delivery.shutdown();
    }

    @Override
    public void closeOnPort() {
        if (closeIssued) {
            return;
        }
        closeIssued = true;
        for (;;) {
            int current = state;
            if (current >= ConnectionState.CLOSED || STATE.compareAndSet(this, current, ConnectionState.CLOSED)) {
                break;
            }
        }
        REASON.compareAndSet(this, null, CloseReason.CLOSED_LOCALLY);
        inbound.close();
        outbound.closing();
        refCount++;
        socket().close(userData(UserData.OP_CLOSE));
        // The open state's own reference.
        dropReference();
    }

    // ---- references and completions, port thread ----

    /** An operation in flight, or the pending jobs, take a reference. */
    @Override
    public void acquire() {
        refCount++;
    }

    /** Drops one reference; the last one releases the connection. */
    @Override
    public void dropReference() {
        int count = --refCount;
        if (count > 0) {
            return;
        }
        if (count < 0) {
            throw new IllegalStateException("reference dropped twice: connection=" + id() + " refCount=" + count);
        }
        state = ConnectionState.RELEASED;
        outbound.released();
        inbound.released();
        if (stages != null) {
            stages.release();
        }
        if (protocol != null) {
            protocol.released();
        }
        host.released(this);
        delivery.disconnected(reason);
    }

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
        if (moving()) {
            finishMoveWhenStill();
        }
    }

    // ---- moving to another port, port thread ----

    @Override
    boolean mayMove() {
        return started && state == ConnectionState.OPEN && !closeIssued && (protocol == null || protocol.idle());
    }

    @Override
    void holdReceivingForMove() {
        inbound.holdForMove();
    }

    @Override
    boolean stillForMove() {
        if (inbound.receiving()) {
            return false;
        }
        outbound.holdForMove();
        return !outbound.writing();
    }

    @Override
    boolean closing() {
        return closeIssued;
    }

    @Override
    boolean started() {
        return started;
    }

    @Override
    void arrived() {
        if (started) {
            inbound.afterMove();
            outbound.afterMove();
        } else {
            host.start(this);
        }
    }

    /**
     * Port thread, each load sample: the activity since the last sample (bytes both ways, each packet counted as
     * {@code packetWeight} bytes, since a small packet costs about as much work as that many bytes) folded into
     * the decaying average; a connection quiet since the last sample trims its send queue. Returns the new load.
     */
    public long sampleLoad(long packetWeight, long intervalNanos) {
        long activity = bytesIn() + bytesOut() + packetWeight * (packetsIn() + packetsOut());
        if (quietSince(activity)) {
            // Quiet for a whole sample: the send queue's structures are made again by the next send.
            outbound.trimWhenQuiet();
        }
        return foldLoad(activity, intervalNanos);
    }

    /** What the connection is waiting for, for a report of one that would not end. Racy off its port thread. */
    public String describe() {
        return this + " " + describeResidence() + ": state " + state + ", references " + refCount
                + (closeIssued ? ", close issued" : "") + ", " + inbound.describe() + ", " + outbound.describe();
    }

    @Override
    public String toString() {
        return "Connection[id=" + id() + ", remote=" + remoteAddress() + "]";
    }
}
