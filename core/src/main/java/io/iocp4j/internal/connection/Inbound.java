package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.BufferAllocationException;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.spi.Errno;

import java.nio.ByteBuffer;

/**
 * A connection's receiving side: keeps one receive in flight, cuts what arrives into packets and offers them to
 * the connection's {@link Delivery}.
 *
 * <p>When the delivery has no room, reading pauses: the packet that found no room is copied and kept, a receive in
 * flight is asked to end ({@link TransportSocket#cancelReceive()}: a multishot receive would otherwise go on
 * delivering), no receive is started, and bytes that still arrive from the receive that was in flight are kept
 * undecoded, in order. Resuming hands over the kept packet, then decodes the kept bytes, and only once they are
 * all taken starts receiving again. Nothing received is lost and nothing is taken past the delivery's bounds.
 *
 * <p>Port thread only, except {@link #isPaused()} and the statistics. It is its decoder's
 * {@link FrameDecoder.FrameSink} itself. It reaches its connection through a {@link ReceiveContext}; the receive in
 * flight and what holds it back are its {@link ReceiveControl}'s.
 */
public final class Inbound extends ReceiveControl implements FrameDecoder.FrameSink {
    /**
     * Below this, a reply's bytes are copied into a buffer of their own: a copy that small costs less than the
     * objects that share a receive buffer, and frees the receive buffer at once.
     */
    static final int MIN_SHARED_BYTES = 1024;

    private final ConnectionHost host;
    private final FrameDecoder decoder;
    private final Delivery delivery;
    /** The byte stages bytes pass before the decoder, or null. */
    private final StageChain stages;

    /**
     * Packets handed to the delivery. Written on the port thread only; other threads read it without a fence, for
     * statistics that may lag a little (a plain field: nothing on the hot path but an increment).
     */
    private long packetsIn;
    /** What a pause keeps, made by the first pause: most connections never pause. */
    private KeptInput kept;
    /** The raw stream (a file's bytes) the next bytes received go to before frames are decoded again; or null. */
    private RawStream raw;
    /**
     * The receive buffer whose bytes the handler has now, unframed, on this thread; null at any other moment. A send
     * of that very packet from the handler can then go out from this buffer instead of a copy.
     */
    private IoBuffer unframedSource;
    /** Takes its own frames (a file handler's file messages) before the delivery; null for other handlers. */
    private FrameProtocol protocol;
    /** {@link #partialSince} when no frame is pending: a clock may read any value, 0 included. */
    public static final long NO_PARTIAL_FRAME = Long.MIN_VALUE;
    /** When the partial frame pending now began (the timeouts' clock), or {@link #NO_PARTIAL_FRAME}. */
    private long partialSince = NO_PARTIAL_FRAME;
    /** The decoder's frame count when {@link #partialSince} was taken: a later count means a new frame began. */
    private long framesAtPartial;

    Inbound(ReceiveContext connection, ConnectionHost host, FrameDecoder decoder, Delivery delivery,
            StageChain stages) {
        super(connection);
        this.host = host;
        this.decoder = decoder;
        this.delivery = delivery;
        this.stages = stages;
    }

    void takeProtocolFrames(FrameProtocol protocol) {
        this.protocol = protocol;
    }

    /** The next {@code count} bytes received are a raw stream for {@code sink}, not frames. */
    void divert(long count, RawSink sink) {
        if (raw != null) {
            throw new IllegalStateException("count=" + count + " rawLeft=" + raw.left());
        }
        raw = new RawStream(sink, count);
        connection.socket().receiveInBulk(true);
    }

    /** Packets handed to the delivery. Any thread, racy. */
    public long packetsIn() {
        return packetsIn;
    }

    void onReceive(int result, int flags, IoBuffer buffer) {
        boolean last = completed(flags);
        try {
            if (result > 0) {
                connection.countReceived(result);
                if (!stopped && connection.isOpen()) {
                    unframedSource = decoder == null ? buffer : null;
                    try {
                        ByteBuffer bytes = buffer.byteBuffer().limit(result).position(0);
                        if (stages != null) {
                            stages.inbound(bytes);
                        } else {
                            takeWithinMemory(bytes);
                        }
                    } finally {
                        unframedSource = null;
                    }
                }
            } else if (result == 0) {
                endOfStream = true;
                // Behind kept bytes, the end waits its turn: resume delivers it once they are all taken. A closing
                // connection's socket may also read an end it made itself: nothing is delivered any more.
                if (!paused && !stopped) {
                    delivery.peerClosed();
                }
            } else if (result == -Errno.ENOMEM) {
                // The transport could not have a receive buffer: memory ran out for this connection.
                stop();
                connection.closeWith(CloseReason.MEMORY_BUDGET);
            } else if (result != -Errno.ECANCELED) {
                stop();
                connection.closeWith(CloseReason.IO_ERROR);
            }
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
        if (last) {
            arm();
            connection.dropReference();
        }
    }

    /**
     * From a send of {@code packet}: when it is the unframed packet the handler is being given on the port thread,
     * and large enough that a copy costs more than sharing, a buffer that sends its remaining bytes from the receive
     * buffer itself, which stays lent until they are written; otherwise null, and the caller copies. A receive buffer
     * whose owner runs low (a provided-buffer ring more than half lent) is never kept this way, so replies waiting on
     * slow peers cannot starve other connections' receives.
     */
    IoBuffer shareDelivered(ByteBuffer packet) {
        IoBuffer source = unframedSource;
        if (source == null || !connection.inPortThread() || packet != source.byteBuffer()
                || packet.remaining() < MIN_SHARED_BYTES || source.ownerRunningLow()) {
            return null;
        }
        return source.share(packet.position(), packet.limit());
    }

    /** Port thread: bytes that left the last byte stage. */
    void fromStages(ByteBuffer bytes) {
        if (!stopped && connection.isOpen()) {
            takeWithinMemory(bytes);
        }
    }

    private void takeWithinMemory(ByteBuffer bytes) {
        try {
            take(bytes);
        } catch (BufferAllocationException e) {
            // The memory ran out for this connection: it ends, the port thread goes on.
            stop();
            connection.closeWith(CloseReason.MEMORY_BUDGET);
        }
        notePartialFrame();
    }

    /** Decodes {@code bytes} into packets for the delivery, or keeps them while paused. */
    private void take(ByteBuffer bytes) {
        if (paused) {
            keepBytes(bytes);
            return;
        }
        if (decoder == null) {
            // Without framing, whatever arrived together is one packet.
            if (delivery.offer(bytes)) {
                packetsIn++;
            } else {
                keepPacket(bytes);
            }
            return;
        }
        while (bytes.hasRemaining() && !paused && !stopped) {
            if (raw != null) {
                takeRaw(bytes);
                continue;
            }
            FrameError error = decoder.decode(bytes, this);
            if (error != null) {
                stop();
                delivery.frameError(error);
                return;
            }
            if (decoder.memoryRefused()) {
                // The partial-frame budget is spent (or the memory ran out) and this connection was growing.
                stop();
                connection.closeWith(CloseReason.MEMORY_BUDGET);
                return;
            }
            if (raw == null) {
                // Decoding stopped for a pause or a close, or took every byte.
                break;
            }
        }
        if (paused && !stopped && bytes.hasRemaining()) {
            keepBytes(bytes);
        }
    }

    private void takeRaw(ByteBuffer bytes) {
        RawStream stream = raw;
        ByteBuffer next = stream.take(bytes);
        boolean last = stream.ended();
        if (last) {
            raw = null;
            connection.socket().receiveInBulk(false);
        }
        stream.sink.accept(next);
        if (last && stream.sink.end()) {
            awaitingRawSink = true;
            paused = true;
            cancelReceive();
        }
    }

    /** The raw stream's sink finished its work: decoding goes on with what arrived behind the stream. */
    void rawStreamSettled() {
        if (!awaitingRawSink) {
            throw new IllegalStateException("no raw stream is waiting for its sink");
        }
        awaitingRawSink = false;
        resume();
    }

    @Override
    public boolean onFrame(ByteBuffer frame) {
        if (stopped || !connection.isOpen()) {
            return false;
        }
        if (protocol != null && protocol.claims(frame)) {
            if (!delivery.idle()) {
                // Handlers on workers: the file message is handled on this thread once every packet before it
                // has been (and their replies queued), and nothing after it is decoded before it.
                if (kept().keepFrame(frame, receiveMemoryHeld())) {
                    paused = true;
                    cancelReceive();
                } else {
                    refused();
                }
                return false;
            }
            protocol.onFrame(frame);
            // A frame that began a raw stream ends decoding here: the bytes after it are the stream's.
            return raw == null && !stopped && connection.isOpen();
        }
        if (!delivery.offer(frame)) {
            keepPacket(frame);
            return false;
        }
        packetsIn++;
        return !stopped && connection.isOpen();
    }

    private void keepPacket(ByteBuffer packet) {
        if (kept().keepPacket(packet, receiveMemoryHeld())) {
            pause();
        } else {
            refused();
        }
    }

    private void keepBytes(ByteBuffer bytes) {
        if (!kept().keepBytes(bytes, receiveMemoryHeld())) {
            refused();
        }
    }

    private KeptInput kept() {
        if (kept == null) {
            kept = new KeptInput(host.pool(), host.partialFrameBudget());
        }
        return kept;
    }

    /** The memory for a copy to keep was refused: this connection ends. */
    private void refused() {
        stop();
        connection.closeWith(CloseReason.MEMORY_BUDGET);
    }

    private void pause() {
        paused = true;
        cancelReceive();
        delivery.awaitRoom();
    }

    /** Takes what was kept and starts receiving again, when reading paused and the delivery has room. */
    void resume() {
        if (!paused || awaitingRawSink || stopped || !connection.isOpen()) {
            return;
        }
        KeptInput held = kept();
        if (held.frame != null) {
            if (!delivery.idle()) {
                // The release of the last packet pending brings the port back here.
                return;
            }
            paused = false;
            IoBuffer frame = held.frame;
            held.frame = null;
            try {
                protocol.onFrame(frame.byteBuffer());
            } finally {
                held.release(frame);
            }
            if (stopped || !connection.isOpen()) {
                return;
            }
        } else if (!delivery.canResume()) {
            delivery.awaitRoom();
            return;
        }
        paused = false;
        IoBuffer packet = held.packet;
        if (packet != null) {
            held.packet = null;
            boolean taken = delivery.offer(packet.byteBuffer());
            if (!taken) {
                held.packet = packet;
                pause();
                return;
            }
            packetsIn++;
            held.release(packet);
        }
        IoBuffer bytes = held.bytes;
        if (bytes != null) {
            held.bytes = null;
            try {
                take(bytes.byteBuffer());
            } finally {
                held.release(bytes);
            }
            notePartialFrame();
        }
        if (!paused) {
            // Everything kept was taken: a connection that paused once need not keep the holder.
            kept = null;
        }
        if (paused || stopped) {
            return;
        }
        if (endOfStream) {
            delivery.peerClosed();
        } else {
            arm();
        }
    }

    /** Nothing more is delivered; a receive still in flight is asked to end, and what was kept is let go. */
    public void stop() {
        stopped = true;
        cancelReceive();
        releaseKept();
    }

    /** The connection is closing: the socket's close ends any receive, so only what was kept must go. */
    void close() {
        stopped = true;
        releaseKept();
    }

    /** The connection is released: the decoder lets go of a frame it was still gathering. */
    void released() {
        if (decoder != null) {
            decoder.release();
        }
    }

    private void releaseKept() {
        if (kept != null) {
            kept.releaseAll();
        }
    }

    /**
     * After bytes were decoded: notes when a partial frame began, reading the clock only when a new one did, so that
     * the sweeper can end a frame a peer takes too long to finish.
     */
    private void notePartialFrame() {
        if (decoder == null || !decoder.hasPartialFrame()) {
            partialSince = NO_PARTIAL_FRAME;
            return;
        }
        long frames = decoder.framesDecoded();
        if (partialSince == NO_PARTIAL_FRAME || frames != framesAtPartial) {
            framesAtPartial = frames;
            partialSince = host.clock().getAsLong();
        }
    }

    /** When the partial frame pending now began, or {@link #NO_PARTIAL_FRAME}. Port thread. */
    public long partialFrameSince() {
        return partialSince;
    }

    /** Reading is paused by this side, not held up by the peer: the frame's clock starts again at {@code now}. */
    public void restartFrameClock(long now) {
        if (partialSince != NO_PARTIAL_FRAME) {
            partialSince = now;
        }
    }

    /** Memory this connection holds of what its peer sent: a partial frame and what a pause keeps. Racy. */
    public long receiveMemoryHeld() {
        KeptInput held = kept;
        return (held == null ? 0 : held.memory()) + (decoder == null ? 0 : decoder.memoryHeld())
                + (stages == null ? 0 : stages.memoryHeld());
    }
}
