package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameEncoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection and its lifetime. The open state holds one reference and every operation in flight one more; each
 * completion drops exactly its own, and when the count reaches zero the connection is released: queued buffers go
 * back to the pool, the slot is freed, and the handler hears {@code onDisconnect} once.
 *
 * <p>The reference count, the decoder and the write batch belong to the port thread. Other threads may only
 * queue sends and request closes, which the port thread carries out.
 */
public final class RealConnection implements Connection {
    private static final int OPEN = 0;
    /** No sends accepted, nothing more read; closes once the queue is written. */
    private static final int DRAINING = 1;
    /** Close issued or about to be; queued sends are dropped. */
    private static final int CLOSED = 2;
    /** Every completion has arrived and everything is given back. */
    private static final int RELEASED = 3;

    private static final System.Logger LOG = System.getLogger(RealConnection.class.getName());
    private static final VarHandle STATE;
    private static final VarHandle FLUSH_SCHEDULED;
    private static final VarHandle REASON;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(RealConnection.class, "state", int.class);
            FLUSH_SCHEDULED = lookup.findVarHandle(RealConnection.class, "flushScheduled", int.class);
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
    private final SendQueue sendQueue = new SendQueue();
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final Runnable flushTask = this::flushOnPort;
    private final Runnable closeTask = this::closeOnPort;
    private final FrameDecoder.FrameSink frameSink = this::deliverFrame;

    private volatile int state;
    @SuppressWarnings("unused")
    private volatile int flushScheduled;
    private volatile CloseReason reason;
    private volatile Object attachment;

    // Set once by the connection table before the connection is started.
    private int slot;
    private int generation;

    // Port thread only.
    private int refCount = 1;
    private boolean receiving;
    private boolean receiveStopped;
    private boolean writing;
    private boolean closeIssued;

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
        this.remoteAddress = socket.remoteAddress();
        this.localAddress = socket.localAddress();
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

    /** Port thread: tells the handler, then starts receiving. */
    void start() {
        try {
            handler.onConnect(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        armReceive();
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
        return enqueue(FrameEncoder.encode(pool, endpoint.framing(), packet));
    }

    @Override
    public boolean send(ByteBuffer... parts) {
        if (state != OPEN) {
            return false;
        }
        return enqueue(FrameEncoder.encode(pool, endpoint.framing(), parts));
    }

    @Override
    public boolean sendEncoded(IoBuffer encoded) {
        if (state != OPEN) {
            encoded.release();
            return false;
        }
        return enqueue(encoded);
    }

    private boolean enqueue(IoBuffer buffer) {
        if (port.inPortThread()) {
            // The state was read on the thread that releases, so it cannot have changed since.
            sendQueue.offerLocal(buffer);
            scheduleFlush();
            return true;
        }
        sendQueue.offer(buffer);
        if (state == RELEASED) {
            // The port drained the queue before this buffer arrived and will not look again.
            sendQueue.drainInbox();
            return false;
        }
        scheduleFlush();
        return true;
    }

    private void scheduleFlush() {
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
            port.execute(flushTask);
        }
    }

    @Override
    public void close() {
        closeWith(CloseReason.CLOSED_LOCALLY);
    }

    @Override
    public void closeAfterFlush() {
        drainThenClose(CloseReason.CLOSED_LOCALLY);
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
    public long queuedBytes() {
        return sendQueue.queuedBytes();
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
            scheduleFlush();
        }
    }

    /** Graceful shutdown: the handler may send a last word, then the connection drains and closes. */
    void shutdownGracefully() {
        if (state == OPEN) {
            try {
                handler.onShutdown(this);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
        drainThenClose(CloseReason.SHUTDOWN);
    }

    // ---- completions, port thread ----

    void onCompletion(int op, int result, int flags, IoBuffer buffer) {
        switch (op) {
            case UserData.OP_RECEIVE -> onReceive(result, flags, buffer);
            case UserData.OP_WRITE -> onWritten(result);
            case UserData.OP_CLOSE -> dropReference();
            default -> {
                if (buffer != null) {
                    buffer.release();
                }
                throw new IllegalArgumentException("op=" + op);
            }
        }
    }

    private void armReceive() {
        if (receiving || receiveStopped || state != OPEN) {
            return;
        }
        receiving = true;
        refCount++;
        socket.receive(UserData.pack(slot, generation, UserData.OP_RECEIVE));
    }

    private void onReceive(int result, int flags, IoBuffer buffer) {
        // A multishot receive holds one reference for all its results; only its last one gives it back.
        boolean last = (flags & UserData.F_MORE) == 0;
        if (last) {
            receiving = false;
        }
        try {
            if (result > 0) {
                engine.countReceived(result);
                if (state == OPEN && !receiveStopped) {
                    deliver(buffer.byteBuffer().limit(result).position(0));
                }
            } else if (result == 0) {
                receiveStopped = true;
                drainThenClose(CloseReason.PEER_CLOSED);
            } else if (result != -Errno.ECANCELED) {
                receiveStopped = true;
                closeWith(CloseReason.IO_ERROR);
            }
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
        if (last) {
            armReceive();
            dropReference();
        }
    }

    private void deliver(ByteBuffer bytes) {
        if (decoder == null) {
            invokePacket(bytes);
            return;
        }
        FrameError error = decoder.decode(bytes, frameSink);
        if (error != null) {
            stopReceiving();
            try {
                handler.onFrameError(this, error);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
    }

    /** Nothing more is delivered; a multishot receive still in flight is asked to end. */
    private void stopReceiving() {
        receiveStopped = true;
        if (receiving) {
            socket.cancelReceive();
        }
    }

    private boolean deliverFrame(ByteBuffer frame) {
        invokePacket(frame);
        return state == OPEN;
    }

    private void invokePacket(ByteBuffer packet) {
        try {
            handler.onPacket(this, packet);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    private void flushOnPort() {
        // Cleared before reading the queue, so a send racing with this flush schedules another.
        flushScheduled = 0;
        flush();
    }

    private void flush() {
        int current = state;
        if (current >= CLOSED) {
            if (!writing) {
                sendQueue.releaseAll();
            } else {
                sendQueue.drainInbox();
            }
            return;
        }
        if (writing) {
            return;
        }
        int count = sendQueue.prepareWrite();
        if (count == 0) {
            if (current == DRAINING) {
                closeOnPort();
            }
            return;
        }
        writing = true;
        refCount++;
        socket.write(sendQueue.sources(), 0, count, UserData.pack(slot, generation, UserData.OP_WRITE));
    }

    private void onWritten(int result) {
        writing = false;
        if (result >= 0) {
            sendQueue.written(result);
            engine.countSent(result);
            flush();
        } else {
            closeWith(CloseReason.IO_ERROR);
            flush();
        }
        dropReference();
    }

    private void closeOnPort() {
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
        receiveStopped = true;
        if (!writing) {
            sendQueue.releaseAll();
        }
        refCount++;
        socket.close(UserData.pack(slot, generation, UserData.OP_CLOSE));
        // The open state's own reference.
        dropReference();
    }

    private void dropReference() {
        int count = --refCount;
        if (count > 0) {
            return;
        }
        if (count < 0) {
            throw new IllegalStateException("reference dropped twice: connection=" + id + " refCount=" + count);
        }
        state = RELEASED;
        sendQueue.releaseAll();
        releaseDecoder();
        engine.released(this);
        try {
            handler.onDisconnect(this, reason);
        } catch (Throwable t) {
            reportHandlerError(t);
        }
    }

    private void releaseDecoder() {
        if (decoder != null) {
            decoder.release();
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
