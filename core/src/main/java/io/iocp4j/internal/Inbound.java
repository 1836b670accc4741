package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.UserData;

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
 * <p>Port thread only, except {@link #isPaused()}. It is its decoder's {@link FrameDecoder.FrameSink} itself.
 */
final class Inbound implements FrameDecoder.FrameSink {
    /**
     * Below this, a reply's bytes are copied into a buffer of their own: a copy that small costs less than the
     * objects that share a receive buffer, and frees the receive buffer at once.
     */
    static final int MIN_SHARED_BYTES = 1024;

    private final RealConnection connection;
    private final FrameDecoder decoder;
    private final Delivery delivery;
    /** The byte stages bytes pass before the decoder, or null. */
    private final StageChain stages;

    /**
     * Packets handed to the delivery. Written on the port thread only; other threads read it without a fence, for
     * statistics that may lag a little (a plain field: nothing on the hot path but an increment).
     */
    private long packetsIn;
    /** Read by workers to decide whether finishing a job should wake the port. */
    private volatile boolean paused;
    private boolean receiving;
    /** The connection is moving to another port: no receive starts until it has arrived. */
    private boolean moving;
    /** The memory budget's warden holds this connection's reading while it holds the most of a spent budget. */
    private boolean heldForBudget;
    private boolean cancelRequested;
    /** The peer shut down its output: no receive is started again. */
    private boolean endOfStream;
    /** Nothing more is delivered: the connection is closing or the framing broke. */
    private boolean stopped;
    /** Reading paused until the sink of the raw stream that just ended has settled it. */
    private boolean awaitingRawSink;
    /** What a pause keeps, made by the first pause: most connections never pause. */
    private Kept kept;
    /** The raw stream (a file's bytes) the next bytes received go to before frames are decoded again; or null. */
    private RawStream raw;
    /**
     * The receive buffer whose bytes the handler has now, unframed, on this thread; null at any other moment. A send
     * of that very packet from the handler can then go out from this buffer instead of a copy.
     */
    private IoBuffer unframedSource;
    /** Takes the file frames of a file handler's connection before the delivery; null for other handlers. */
    private FileSession files;
    /** {@link #partialSince} when no frame is pending: a clock may read any value, 0 included. */
    static final long NO_PARTIAL_FRAME = Long.MIN_VALUE;
    /** When the partial frame pending now began (the timeouts' clock), or {@link #NO_PARTIAL_FRAME}. */
    private long partialSince = NO_PARTIAL_FRAME;
    /** The decoder's frame count when {@link #partialSince} was taken: a later count means a new frame began. */
    private long framesAtPartial;
    /** Memory of the copies a pause keeps, charged to the engine's partial-frame budget. */
    private int keptMemory;

    /** What reading keeps while paused, to hand over in order when it resumes. */
    private static final class Kept {
        /** A whole packet that found no room. */
        IoBuffer packet;
        /** Bytes received while paused, not yet decoded. */
        IoBuffer bytes;
        /** A file message waiting for the packets before it to be handled, so that it keeps its place among them. */
        IoBuffer fileFrame;
    }

    /** Raw bytes still to go to a sink before frames are decoded again. */
    private static final class RawStream {
        final RawSink sink;
        long left;

        RawStream(RawSink sink, long left) {
            this.sink = sink;
            this.left = left;
        }
    }

    /** Where the raw bytes of a file stream go, on the port thread. */
    interface RawSink {
        /** The next raw bytes; valid during the call only. */
        void accept(ByteBuffer bytes);

        /**
         * The last raw byte was taken; what follows is framed again, at once, or, when this returns true, once the
         * sink has finished the stream's work off the port and called {@link Inbound#rawStreamSettled()}: a reply
         * to what follows must not overtake the stream's own.
         */
        boolean end();
    }

    Inbound(RealConnection connection, FrameDecoder decoder, Delivery delivery, StageChain stages) {
        this.connection = connection;
        this.decoder = decoder;
        this.delivery = delivery;
        this.stages = stages;
    }

    void takeFileFrames(FileSession files) {
        this.files = files;
    }

    /** The next {@code count} bytes received are a raw stream for {@code sink}, not frames. */
    void divert(long count, RawSink sink) {
        if (count <= 0 || raw != null) {
            throw new IllegalStateException("count=" + count + " rawLeft=" + (raw == null ? 0 : raw.left));
        }
        raw = new RawStream(sink, count);
        connection.socket().receiveInBulk(true);
    }

    long packetsIn() {
        return packetsIn;
    }

    String describe() {
        return "receiving " + receiving + (moving ? " (held for a move)" : "")
                + (heldForBudget ? " (held for the memory budget)" : "") + (paused ? ", paused" : "")
                + (awaitingRawSink ? " for the end of a raw stream" : "")
                + (stopped ? ", stopped" : "") + (endOfStream ? ", end of stream" : "")
                + (cancelRequested ? ", cancel requested" : "");
    }

    /** Any thread. */
    boolean isPaused() {
        return paused;
    }

    /** Starts a receive unless one is in flight or reading should not go on. */
    void arm() {
        if (receiving || moving || heldForBudget || paused || stopped || endOfStream || !connection.isOpen()) {
            return;
        }
        receiving = true;
        connection.acquire();
        connection.socket().receive(connection.userData(UserData.OP_RECEIVE));
    }

    /** A receive is in flight: its last completion has not arrived. */
    boolean receiving() {
        return receiving;
    }

    /**
     * The connection is about to move: the receive in flight is asked to end (bytes already on their way are still
     * taken here, in order) and no new one starts.
     */
    void holdForMove() {
        moving = true;
        cancelReceive();
    }

    /**
     * The memory budget's warden holds reading ({@code true}: the receive in flight is asked to end, none starts)
     * or lets it go on.
     */
    void holdForBudget(boolean hold) {
        heldForBudget = hold;
        if (hold) {
            cancelReceive();
        } else {
            arm();
        }
    }

    /** Reading is held by this side (a pause, a move, the budget), not waiting on the peer. */
    boolean heldBySelf() {
        return paused || moving || heldForBudget;
    }

    /** On the new port: receiving goes on, unless it paused for another reason. */
    void afterMove() {
        moving = false;
        arm();
    }

    private void cancelReceive() {
        if (receiving && !cancelRequested) {
            cancelRequested = true;
            connection.socket().cancelReceive();
        }
    }

    void onReceive(int result, int flags, IoBuffer buffer) {
        // A multishot receive holds one reference for all its results; only its last one gives it back.
        boolean last = (flags & UserData.F_MORE) == 0;
        if (last) {
            receiving = false;
            cancelRequested = false;
        }
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
        if (source == null || !connection.port().inPortThread() || packet != source.byteBuffer()
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
        } catch (io.iocp4j.buffer.BufferAllocationException e) {
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
        int length = (int) Math.min(stream.left, bytes.remaining());
        int start = bytes.position();
        bytes.position(start + length);
        stream.left -= length;
        boolean last = stream.left == 0;
        if (last) {
            raw = null;
            connection.socket().receiveInBulk(false);
        }
        stream.sink.accept(bytes.slice(start, length));
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
        if (files != null && FileSession.claims(frame)) {
            if (!delivery.idle()) {
                // Handlers on workers: the file message is handled on this thread once every packet before it
                // has been (and their replies queued), and nothing after it is decoded before it.
                IoBuffer copy = copy(frame, null);
                if (copy == null) {
                    return false;
                }
                kept().fileFrame = copy;
                paused = true;
                cancelReceive();
                return false;
            }
            files.onFrame(frame);
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
        IoBuffer copy = copy(packet, null);
        if (copy == null) {
            return;
        }
        kept().packet = copy;
        pause();
    }

    private void keepBytes(ByteBuffer bytes) {
        Kept held = kept();
        IoBuffer before = held.bytes;
        IoBuffer copy = copy(bytes, before);
        if (copy == null) {
            return;
        }
        held.bytes = copy;
        if (before != null) {
            releaseKept(before);
        }
    }

    private Kept kept() {
        if (kept == null) {
            kept = new Kept();
        }
        return kept;
    }

    /**
     * A pooled buffer holding {@code prefix}'s bytes (if any), then {@code bytes}'s remaining ones, charged to the
     * partial-frame budget; or null when the budget or the memory refused it, and the connection is closing.
     */
    private IoBuffer copy(ByteBuffer bytes, IoBuffer prefix) {
        int before = prefix == null ? 0 : prefix.byteBuffer().remaining();
        int length = before + bytes.remaining();
        MemoryBudget budget = connection.partialFrameBudget();
        int capacity = io.iocp4j.buffer.BufferPool.capacityFor(length);
        IoBuffer copy = null;
        if (budget.take(capacity, receiveMemoryHeld())) {
            try {
                copy = connection.pool().lease(length);
            } catch (io.iocp4j.buffer.BufferAllocationException e) {
                budget.give(capacity);
            }
        }
        if (copy == null) {
            bytes.position(bytes.limit());
            stop();
            connection.closeWith(CloseReason.MEMORY_BUDGET);
            return null;
        }
        keptMemory += copy.capacity();
        ByteBuffer target = copy.byteBuffer();
        if (prefix != null) {
            target.put(0, prefix.byteBuffer(), prefix.byteBuffer().position(), before);
        }
        target.put(before, bytes, bytes.position(), bytes.remaining()).limit(length);
        bytes.position(bytes.limit());
        return copy;
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
        Kept held = kept();
        if (held.fileFrame != null) {
            if (!delivery.idle()) {
                // The release of the last packet pending brings the port back here.
                return;
            }
            paused = false;
            IoBuffer frame = held.fileFrame;
            held.fileFrame = null;
            try {
                files.onFrame(frame.byteBuffer());
            } finally {
                releaseKept(frame);
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
            releaseKept(packet);
        }
        IoBuffer bytes = held.bytes;
        if (bytes != null) {
            held.bytes = null;
            try {
                take(bytes.byteBuffer());
            } finally {
                releaseKept(bytes);
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
    void stop() {
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
        Kept held = kept;
        if (held == null) {
            return;
        }
        if (held.packet != null) {
            releaseKept(held.packet);
            held.packet = null;
        }
        if (held.bytes != null) {
            releaseKept(held.bytes);
            held.bytes = null;
        }
        if (held.fileFrame != null) {
            releaseKept(held.fileFrame);
            held.fileFrame = null;
        }
    }

    /** A copy kept for a pause goes back, and its memory to the budget. */
    private void releaseKept(IoBuffer copy) {
        int capacity = copy.capacity();
        copy.release();
        keptMemory -= capacity;
        connection.partialFrameBudget().give(capacity);
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
            partialSince = connection.clock().getAsLong();
        }
    }

    /** When the partial frame pending now began, or {@link #NO_PARTIAL_FRAME}. Port thread. */
    long partialFrameSince() {
        return partialSince;
    }

    /** Reading is paused by this side, not held up by the peer: the frame's clock starts again at {@code now}. */
    void restartFrameClock(long now) {
        if (partialSince != NO_PARTIAL_FRAME) {
            partialSince = now;
        }
    }

    /** Memory this connection holds of what its peer sent: a partial frame and what a pause keeps. Racy. */
    long receiveMemoryHeld() {
        return keptMemory + (decoder == null ? 0 : decoder.memoryHeld())
                + (stages == null ? 0 : stages.memoryHeld());
    }
}
