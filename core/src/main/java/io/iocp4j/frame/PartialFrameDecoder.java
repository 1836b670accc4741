package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * What every decoder here shares: the {@link Accumulator} for a packet split across calls (the only memory held
 * between them), the count of packets handed over, and the two ways decoding ends for good, an error in the stream
 * and memory that could not be had.
 */
abstract class PartialFrameDecoder implements FrameDecoder {
    final Accumulator partial;
    private long framesDecoded;
    private FrameError error;
    private boolean memoryRefused;

    PartialFrameDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        this.partial = new Accumulator(pool, allowance);
    }

    @Override
    public final FrameError decode(ByteBuffer input, FrameSink sink) {
        if (error != null || memoryRefused) {
            return error;
        }
        decodeAvailable(input, sink);
        return error;
    }

    /**
     * Consumes {@code input} until every byte is taken, the sink asks to stop, {@link #fail} is called or
     * {@link #gather} is refused.
     */
    abstract void decodeAvailable(ByteBuffer input, FrameSink sink);

    /** Forgets the position inside a packet; {@link #partial} is cleared by the caller. */
    abstract void resetPosition();

    /** Ends decoding for good with {@code why}. */
    final void fail(FrameError why) {
        error = why;
    }

    /** Appends {@code count} bytes of {@code input} to the partial packet; false (and decoding over) if refused. */
    final boolean gather(ByteBuffer input, int count, int limit) {
        if (partial.append(input, count, limit)) {
            return true;
        }
        memoryRefused = true;
        return false;
    }

    /** Hands one packet to the sink and returns what the sink answered. */
    final boolean deliver(FrameSink sink, ByteBuffer packet) {
        framesDecoded++;
        return sink.onFrame(packet);
    }

    /** Hands over {@code length} bytes of the partial packet from {@code from}, then lets the partial packet go. */
    final boolean deliverPartial(FrameSink sink, int from, int length) {
        try {
            ByteBuffer held = partial.bytes();
            return deliver(sink, from == 0 && length == held.remaining() ? held : held.slice(from, length));
        } finally {
            partial.clear();
        }
    }

    @Override
    public final long framesDecoded() {
        return framesDecoded;
    }

    @Override
    public final int memoryHeld() {
        return partial.memoryHeld();
    }

    @Override
    public final boolean memoryRefused() {
        return memoryRefused;
    }

    /** Gives back the partial packet's buffer, if any; the decoder can be reused from a clean state. */
    @Override
    public final void release() {
        partial.clear();
        resetPosition();
    }
}
