package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into frames. A frame that lies whole inside the bytes given to {@link #decode} is handed
 * over as a view of them, without a copy; only a frame split across calls is gathered into a pooled buffer, and
 * that buffer is the only thing the decoder holds between calls.
 *
 * <p>Not thread-safe: one decoder per connection, used by the thread that owns the connection.
 */
public final class FrameDecoder {
    /** Receives each whole frame (the bytes after the length header); returns false to stop decoding. */
    @FunctionalInterface
    public interface FrameSink {
        boolean onFrame(ByteBuffer frame);
    }

    private final Framing framing;
    private final BufferPool pool;
    private int headerBytesSeen;
    private int headerValue;
    /** The frame being gathered across calls; null when no partial frame body is pending. */
    private IoBuffer partial;
    private FrameError error;

    public FrameDecoder(Framing framing, BufferPool pool) {
        if (!framing.isFramed()) {
            throw new IllegalArgumentException("framing=" + framing + " has no length header");
        }
        this.framing = framing;
        this.pool = pool;
    }

    /**
     * Consumes all of {@code input}, handing each whole frame to {@code sink}. Returns null when every byte was
     * consumed or the sink asked to stop, or the error that stopped decoding; after an error the decoder stays
     * failed and consumes nothing more.
     */
    public FrameError decode(ByteBuffer input, FrameSink sink) {
        if (error != null) {
            return error;
        }
        while (input.hasRemaining()) {
            if (partial != null) {
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
                if (!sink.onFrame(input.slice(start, length))) {
                    return null;
                }
            } else {
                partial = pool.lease(length);
                partial.byteBuffer().limit(length);
            }
        }
        return null;
    }

    /** True while part of a frame is held between calls. */
    public boolean hasPartialFrame() {
        return partial != null || headerBytesSeen != 0;
    }

    /** Gives back the partial frame's buffer, if any; the decoder can be reused from a clean state. */
    public void release() {
        if (partial != null) {
            IoBuffer held = partial;
            partial = null;
            held.release();
        }
        headerBytesSeen = 0;
        headerValue = 0;
    }

    private boolean continuePartial(ByteBuffer input, FrameSink sink) {
        ByteBuffer target = partial.byteBuffer();
        int take = Math.min(target.remaining(), input.remaining());
        target.put(target.position(), input, input.position(), take);
        target.position(target.position() + take);
        input.position(input.position() + take);
        if (target.hasRemaining()) {
            return true;
        }
        IoBuffer whole = partial;
        partial = null;
        try {
            return sink.onFrame(whole.byteBuffer().flip());
        } finally {
            whole.release();
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
