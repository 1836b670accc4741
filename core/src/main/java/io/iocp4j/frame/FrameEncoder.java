package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/** Writes packets into pooled buffers ready to send, with the room a codec needs around them. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /** {@code framing}'s {@link Framing#encode(BufferPool, ByteBuffer...)}. */
    public static IoBuffer encode(BufferPool pool, Framing framing, ByteBuffer... parts) {
        return framing.encode(pool, parts);
    }

    /** {@code framing}'s {@link Framing#encode(BufferPool, ByteBuffer)}. */
    public static IoBuffer encode(BufferPool pool, Framing framing, ByteBuffer payload) {
        return framing.encode(pool, payload);
    }

    /** The bytes remaining in all {@code parts}. */
    public static long remaining(ByteBuffer... parts) {
        long length = 0;
        for (ByteBuffer part : parts) {
            length += part.remaining();
        }
        return length;
    }

    /**
     * A lease of {@code before + length + after} bytes holding {@code parts}' remaining bytes (their positions left
     * as they were) from index {@code before}, its position 0 and limit at the end: the codec fills the
     * {@code before} bytes of a header and the {@code after} bytes of a trailer itself.
     */
    public static IoBuffer copy(BufferPool pool, int before, long length, int after, ByteBuffer... parts) {
        long total = before + length + after;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("packet of " + length + " bytes cannot be framed in one buffer");
        }
        IoBuffer buffer = pool.lease((int) total);
        ByteBuffer out = buffer.byteBuffer();
        int at = before;
        for (ByteBuffer part : parts) {
            out.put(at, part, part.position(), part.remaining());
            at += part.remaining();
        }
        out.position(0).limit((int) total);
        return buffer;
    }

    /** As {@link #copy(BufferPool, int, long, int, ByteBuffer...)} for one part, without an array per packet. */
    public static IoBuffer copy(BufferPool pool, int before, long length, int after, ByteBuffer part) {
        long total = before + length + after;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("packet of " + length + " bytes cannot be framed in one buffer");
        }
        IoBuffer buffer = pool.lease((int) total);
        ByteBuffer out = buffer.byteBuffer();
        out.put(before, part, part.position(), part.remaining());
        out.position(0).limit((int) total);
        return buffer;
    }
}
