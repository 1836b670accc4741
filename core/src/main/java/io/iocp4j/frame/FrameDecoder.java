package io.iocp4j.frame;

import java.nio.ByteBuffer;

/**
 * One connection's decoder: cuts the bytes that arrive into packets, in order, and keeps a packet that has begun
 * until the rest of it arrives. Made by a {@link Framing} for each connection; used only by the thread that owns
 * the connection.
 *
 * <p>A decoder holds only bytes that have arrived (gathered in an {@link io.iocp4j.buffer.Accumulator} paid for by
 * the allowance it was made with), never a length a peer announced; a packet that lies whole in the bytes given
 * is handed over as a view of them, without a copy.
 */
public interface FrameDecoder {
    /** Receives each whole packet, valid during the call only; returns false to stop decoding. */
    @FunctionalInterface
    interface FrameSink {
        boolean onFrame(ByteBuffer frame);
    }

    /**
     * Consumes {@code input} from its position, handing each whole packet to {@code sink}, until every byte is
     * consumed or the sink asks to stop (the position is then just past the last packet handed over). Returns null,
     * or the error that stopped decoding: after an error the decoder stays failed and consumes nothing more. When
     * the memory for a partial packet cannot be had, decoding stops with null and {@link #memoryRefused()} turns
     * true: the connection cannot go on.
     */
    FrameError decode(ByteBuffer input, FrameSink sink);

    /** True while part of a packet is held between calls. */
    boolean hasPartialFrame();

    /** Packets handed to sinks so far: tells a packet that has just begun from one pending a while. */
    long framesDecoded();

    /** Memory the partial packet holds now. */
    int memoryHeld();

    /** True once the memory for a partial packet could not be had; nothing more is decoded. */
    boolean memoryRefused();

    /** Gives back what a partial packet holds; called once, when the connection is released. */
    void release();
}
