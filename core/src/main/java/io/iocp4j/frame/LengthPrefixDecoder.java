package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into frames behind a big-endian length prefix of 2 or 4 bytes. A frame that lies whole inside the bytes given to {@link #decode} is handed
 * over as a view of them, without a copy; only a frame split across calls is gathered, in an {@link Accumulator}
 * that holds the bytes that have arrived (never the length the header announced), and that is the only thing the
 * decoder holds between calls.
 *
 * <p>Not thread-safe: one decoder per connection, used by the thread that owns the connection.
 */
final class LengthPrefixDecoder implements FrameDecoder {
    private final LengthPrefixFraming framing;
    private final Accumulator partial;
    private int headerBytesSeen;
    private int headerValue;
    /** The length of the frame being gathered across calls; 0 when no frame body is pending. */
    private int partialLength;
    /** Frames handed over so far: tells a frame that has just begun from one that has been pending a while. */
    private long framesDecoded;
    private FrameError error;
    /** The memory for a partial frame could not be had: decoding stopped for good. */
    private boolean memoryRefused;

    /** A decoder whose partial frames are paid for by {@code allowance}. */
    LengthPrefixDecoder(LengthPrefixFraming framing, BufferPool pool, Accumulator.Allowance allowance) {
        this.framing = framing;
        this.partial = new Accumulator(pool, allowance);
    }

    /**
     * Consumes all of {@code input}, handing each whole frame to {@code sink}. Returns null when every byte was
     * consumed or the sink asked to stop, or the error that stopped decoding; after an error the decoder stays
     * failed and consumes nothing more. When the memory for a partial frame cannot be had, decoding stops with
     * null and {@link #memoryRefused()} turns true: the connection cannot go on.
     */
    @Override
    public FrameError decode(ByteBuffer input, FrameSink sink) {
        if (error != null || memoryRefused) {
            return error;
        }
        while (input.hasRemaining()) {
            if (partialLength != 0) {
                if (!continuePartial(input, sink)) {
                    return null;
                }
                continue;
            }
            int length;
            if (headerBytesSeen == 0 && input.remaining() >= framing.headerLength()) {
                length = readBigEndian(input, framing.headerLength());
            } else {
                headerValue = (headerValue << 8) | (input.get() & 0xFF);
                if (++headerBytesSeen < framing.headerLength()) {
                    continue;
                }
                length = headerValue;
                headerBytesSeen = 0;
                headerValue = 0;
            }
            FrameError invalid = check(length);
            if (invalid != null) {
                error = invalid;
                return invalid;
            }
            if (input.remaining() >= length) {
                int start = input.position();
                input.position(start + length);
                framesDecoded++;
                if (!sink.onFrame(input.slice(start, length))) {
                    return null;
                }
            } else {
                partialLength = length;
            }
        }
        return null;
    }

    /** True while part of a frame is held between calls. */
    @Override
    public boolean hasPartialFrame() {
        return partialLength != 0 || headerBytesSeen != 0;
    }

    /** Frames handed to sinks so far. */
    @Override
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Memory the partial frame holds now. */
    @Override
    public int memoryHeld() {
        return partial.memoryHeld();
    }

    /** True once the memory for a partial frame could not be had; nothing more is decoded. */
    @Override
    public boolean memoryRefused() {
        return memoryRefused;
    }

    /** Gives back the partial frame's buffer, if any; the decoder can be reused from a clean state. */
    @Override
    public void release() {
        partial.clear();
        partialLength = 0;
        headerBytesSeen = 0;
        headerValue = 0;
    }

    private boolean continuePartial(ByteBuffer input, FrameSink sink) {
        int take = Math.min(partialLength - partial.size(), input.remaining());
        if (!partial.append(input, take, partialLength)) {
            memoryRefused = true;
            return false;
        }
        if (partial.size() < partialLength) {
            return true;
        }
        partialLength = 0;
        framesDecoded++;
        try {
            return sink.onFrame(partial.bytes());
        } finally {
            partial.clear();
        }
    }

    /** The length field, big-endian whatever byte order the input buffer was left in. */
    private static int readBigEndian(ByteBuffer input, int bytes) {
        int value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (input.get() & 0xFF);
        }
        return value;
    }

    private FrameError check(int length) {
        if (length == 0) {
            return FrameError.EMPTY;
        }
        // A 4-byte length above 2^31 reads as negative: it is too large whatever the limit.
        if (length < 0 || length > framing.maxFrameLength()) {
            return FrameError.TOO_LARGE;
        }
        return null;
    }
}
