package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/** Writes frames into pooled buffers: the length header, then the parts, in one lease ready to send. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /**
     * Encodes the remaining bytes of {@code parts}, in order, as one frame. The parts' positions are left as they
     * were. Throws {@link IllegalArgumentException} when the frame would be empty or over the maximum.
     */
    public static IoBuffer encode(BufferPool pool, Framing framing, ByteBuffer... parts) {
        long length = 0;
        for (ByteBuffer part : parts) {
            length += part.remaining();
        }
        IoBuffer buffer = leaseWithHeader(pool, framing, length);
        ByteBuffer out = buffer.byteBuffer();
        for (ByteBuffer part : parts) {
            append(out, part);
        }
        out.flip();
        return buffer;
    }

    /** As {@link #encode(BufferPool, Framing, ByteBuffer...)} for one part, without an array per frame. */
    public static IoBuffer encode(BufferPool pool, Framing framing, ByteBuffer payload) {
        IoBuffer buffer = leaseWithHeader(pool, framing, payload.remaining());
        ByteBuffer out = buffer.byteBuffer();
        append(out, payload);
        out.flip();
        return buffer;
    }

    /** A lease big enough for the frame, its header already written. */
    private static IoBuffer leaseWithHeader(BufferPool pool, Framing framing, long length) {
        if (framing.isFramed()) {
            if (length < 1 || length > framing.maxFrameLength()) {
                throw new IllegalArgumentException(
                        "frame length=" + length + " outside 1.." + framing.maxFrameLength());
            }
        } else if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("length=" + length);
        }
        IoBuffer buffer = pool.lease(framing.headerLength() + (int) length);
        ByteBuffer out = buffer.byteBuffer();
        // Big-endian byte by byte: the header must not depend on the order a buffer was left in.
        for (int shift = (framing.headerLength() - 1) * 8; shift >= 0; shift -= 8) {
            out.put((byte) (length >>> shift));
        }
        return buffer;
    }

    private static void append(ByteBuffer out, ByteBuffer part) {
        out.put(out.position(), part, part.position(), part.remaining());
        out.position(out.position() + part.remaining());
    }
}
