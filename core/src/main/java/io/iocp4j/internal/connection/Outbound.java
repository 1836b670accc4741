package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.internal.events.SlowConsumerEvent;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A connection's sending side: the send queue, the one write in flight, and writability. Sends are queued from any
 * thread; the port thread writes what the socket takes and continues a short write before anything queued after it.
 *
 * <p>Writability: past the high watermark of queued reply bytes (held ones included) the connection is not writable
 * and takes no more packets; under the low watermark it is writable again, the handler hears {@code onWritable} and
 * reading resumes; past the cap the connection is closed as a slow consumer.
 *
 * <p>As a {@link Runnable} it is the task that flushes on the port thread: one object less for every connection.
 * It reaches its connection through a {@link SendContext}.
 */
public final class Outbound implements Runnable {
    private static final VarHandle FLUSH_SCHEDULED;

    static {
        try {
            FLUSH_SCHEDULED = MethodHandles.lookup().findVarHandle(Outbound.class, "flushScheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SendContext connection;
    /** The engine's watermarks and cap, fixed for its life. */
    private final FlowSettings flow;
    /** The engine's send budget, charged here for every buffer queued and refunded by the queues. */
    private final MemoryBudget budget;
    private final Delivery delivery;
    /** The receiving side, which goes on when the queue drains under the low watermark. */
    private final Inbound reading;
    /** What the handler sent, as its codec framed it. */
    private final SendQueue queue;
    /**
     * With byte stages, what leaves them for the socket: the port thread passes {@link #queue} through the stages
     * into this one, and writes from it. Null for a connection without stages.
     */
    private final SendQueue wire;
    private final StageChain stages;
    /** The stages heard that the connection closes gracefully. */
    private boolean closingAnnounced;
    /** Raw bytes (a file's) that go out in place of the queue, or null. Port thread only. */
    private RawSource raw;

    @SuppressWarnings("unused")
    private volatile int flushScheduled;
    /** Cleared by whichever thread queues past the high watermark; set again only on the port thread. */
    private volatile boolean writable = true;
    // Port thread only.
    private boolean writing;
    /** The write in flight carries a file's bytes, not queued ones. */
    private boolean writingRaw;
    /** The connection is moving to another port: no write starts until it has arrived. */
    private boolean moving;

    Outbound(SendContext connection, FlowSettings flow, MemoryBudget budget, Delivery delivery, StageChain stages,
             Inbound reading) {
        this.connection = connection;
        this.flow = flow;
        this.budget = budget;
        this.delivery = delivery;
        this.reading = reading;
        this.queue = new SendQueue(budget);
        this.stages = stages;
        this.wire = stages == null ? null : new SendQueue(budget);
    }

    boolean isWritable() {
        return writable;
    }

    /** True while the replies queued are reason enough not to read more. */
    boolean holdsBackReading() {
        return !writable && flow.pauseReading();
    }

    /** Packets (buffers) written out whole. Any thread, racy. */
    public long packetsWritten() {
        return queue.buffersWritten();
    }

    public long queuedBytes() {
        return memoryHeld() + delivery.heldBytes();
    }

    /** Memory the send queue holds now (and, with stages, the bytes past them). Any thread. */
    public long memoryHeld() {
        return wire == null ? queue.queuedBytes() : queue.queuedBytes() + wire.queuedBytes();
    }

    /**
     * Port thread: bytes that left the stages for the socket, taking over one reference of {@code bytes}; charged
     * to the send budget like any send.
     */
    void fromStages(IoBuffer bytes) {
        if (connection.state() >= ConnectionState.CLOSED) {
            bytes.release();
            return;
        }
        if (!budget.take(SendQueue.memoryOf(bytes), memoryHeld())) {
            bytes.release();
            connection.closeWith(CloseReason.MEMORY_BUDGET);
            return;
        }
        wire.offerLocal(bytes);
        flushSoon();
    }

    /** Any thread: a reply the handler sent; held for its turn, or queued. False when it will not be sent. */
    boolean enqueue(IoBuffer buffer) {
        switch (delivery.holdReply(buffer)) {
            case Delivery.HELD -> {
                return afterGrowth();
            }
            case Delivery.REFUSED -> {
                buffer.release();
                return false;
            }
            default -> {
                return offer(buffer) && afterGrowth();
            }
        }
    }

    /** Any thread: a reply held for its turn goes to the send queue. */
    void enqueueReleased(IoBuffer buffer) {
        if (offer(buffer)) {
            afterGrowth();
        }
    }

    private boolean offer(IoBuffer buffer) {
        if (!budget.take(SendQueue.memoryOf(buffer), queue.queuedBytes())) {
            // The server's send budget is spent: whoever holds the most of it is being made to give it back, and a
            // connection that cannot have its share now ends rather than push the process past its bound.
            buffer.release();
            connection.closeWith(CloseReason.MEMORY_BUDGET);
            return false;
        }
        if (connection.inPortThread()) {
            // The state was read on the thread that releases, so it cannot have changed since.
            queue.offerLocal(buffer);
            flushSoon();
            return true;
        }
        queue.offer(buffer);
        if (connection.state() == ConnectionState.RELEASED) {
            // The port drained the queue before this buffer arrived and will not look again.
            queue.drainInbox();
            return false;
        }
        flushSoon();
        return true;
    }

    /** Any thread, after reply bytes were added: the cap and the high watermark. False when over the cap. */
    private boolean afterGrowth() {
        long queued = queuedBytes();
        if (queued > flow.maxQueuedBytes()) {
            SlowConsumerEvent.emit(connection.id(), queued, flow.maxQueuedBytes());
            connection.closeWith(CloseReason.SLOW_CONSUMER);
            return false;
        }
        if (writable && queued > flow.highWatermark()) {
            writable = false;
            // The port may have drained the queue between the sum above and the flag: it must look again, since
            // no write completion may be left to make it look.
            if (queuedBytes() <= flow.lowWatermark()) {
                connection.runOnPort(this::checkWritability);
            }
        }
        return true;
    }

    /** Port thread: under the low watermark the connection is writable again, and reading resumes. */
    private void checkWritability() {
        if (!writable && connection.isOpen() && queuedBytes() <= flow.lowWatermark()) {
            writable = true;
            delivery.writableAgain();
            reading.resume();
        }
    }

    /** Any thread: the port writes what is queued, or closes a draining connection, soon. */
    void flushSoon() {
        if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
            connection.executeOnPort(this);
        }
    }

    /** The flush {@link #flushSoon()} scheduled, on the port thread (or passed on to it). */
    @Override
    public void run() {
        if (!connection.onOwnPort(this)) {
            return;
        }
        // Cleared before reading the queue, so a send racing with this flush schedules another.
        flushScheduled = 0;
        flush();
    }

    private void flush() {
        int current = connection.state();
        if (current >= ConnectionState.CLOSED) {
            if (!writing) {
                releaseQueued();
            } else {
                connection.countDropped(queue.drainInbox());
            }
            return;
        }
        if (writing || moving) {
            return;
        }
        SendQueue out = queue;
        if (wire != null) {
            passThroughStages();
            if (connection.state() >= ConnectionState.CLOSED) {
                return;
            }
            out = wire;
        }
        int count = out.prepareWrite();
        if (count == 0) {
            if (raw != null && raw.active() && queue.gateReached() && (wire == null || wire.isEmpty())) {
                writeRaw();
                return;
            }
            if (current == ConnectionState.DRAINING) {
                if (wire != null && !closingAnnounced) {
                    // Last bytes of the stages' own (a TLS close_notify) go out before the socket closes.
                    closingAnnounced = true;
                    stages.closing();
                    flush();
                    return;
                }
                connection.closeOnPort();
            }
            return;
        }
        writing = true;
        connection.acquire();
        connection.socket().write(out.sources(), 0, count, connection.userData(UserData.OP_WRITE));
    }

    /** What the handler sent goes through the stages, in order, into the wire queue. */
    private void passThroughStages() {
        IoBuffer next;
        while ((next = queue.takeNext()) != null) {
            stages.outbound(next);
            if (connection.state() >= ConnectionState.CLOSED) {
                return;
            }
        }
    }

    private void releaseQueued() {
        int dropped = queue.releaseAll();
        if (wire != null) {
            dropped += wire.releaseAll();
        }
        connection.countDropped(dropped);
        stopRaw();
    }

    String describe() {
        return "writing " + writing + (moving ? " (held for a move)" : "") + ", " + queue.queuedBytes()
                + " bytes queued, flush scheduled " + (flushScheduled != 0) + ", writable " + writable;
    }

    /** Port thread, for a connection quiet since the last load sample: what an idle send queue need not keep goes. */
    void trimWhenQuiet() {
        if (!writing) {
            queue.trim();
            if (wire != null) {
                wire.trim();
            }
        }
    }

    /** A write is in flight: its completion has not arrived. */
    boolean writing() {
        return writing;
    }

    /** The connection is about to move: the write in flight may finish, no new one starts. */
    void holdForMove() {
        moving = true;
    }

    /** On the new port: what was queued meanwhile goes out, in order. */
    void afterMove() {
        // This thread may have queued through the inbox while the connection was elsewhere; from now on it queues
        // through the plain queue, which is written first: the inbox moves behind what is there so that nothing
        // this thread sent is overtaken.
        queue.takeInbox();
        if (wire != null) {
            wire.takeInbox();
        }
        moving = false;
        flush();
        checkWritability();
    }

    // ---- raw streams (a file's): what is queued before one goes first, what is queued after it waits ----

    /** Port thread: sends queued from now on wait until {@link #openGate()}. */
    void closeGate() {
        queue.closeGate();
    }

    /** Port thread: the sends held back go out. */
    void openGate() {
        queue.openGate();
        flush();
    }

    /** Port thread: {@code source} goes out once everything queued before the gate is written. */
    void stream(RawSource source) {
        raw = source;
        flush();
    }

    private void writeRaw() {
        if (raw.finishIfWritten()) {
            // Its owner was told and may have opened the gate; whatever waited goes now.
            flush();
            return;
        }
        writing = true;
        writingRaw = true;
        connection.acquire();
        try {
            raw.writeNext(connection.socket(), connection.userData(UserData.OP_WRITE));
        } catch (IOException e) {
            writing = false;
            writingRaw = false;
            connection.closeWith(CloseReason.IO_ERROR);
            connection.dropReference();
        }
    }

    /** Port thread: the write in flight completed. */
    void onWritten(int result) {
        writing = false;
        if (writingRaw) {
            writingRaw = false;
            if (result >= 0) {
                connection.countSent(result);
                raw.written(result);
            } else {
                connection.closeWith(CloseReason.IO_ERROR);
            }
            flush();
            connection.dropReference();
            return;
        }
        if (result >= 0) {
            connection.countSent(result);
            flush();
            checkWritability();
        } else {
            connection.closeWith(CloseReason.IO_ERROR);
            flush();
        }
        connection.dropReference();
    }

    /** Port thread, as the connection closes: what is queued is dropped, unless a write still uses it. */
    void closing() {
        if (!writing) {
            releaseQueued();
        }
    }

    /** Port thread, once no operation is left: everything goes back. */
    void released() {
        releaseQueued();
    }

    private void stopRaw() {
        if (raw != null) {
            raw.stop();
        }
    }
}
