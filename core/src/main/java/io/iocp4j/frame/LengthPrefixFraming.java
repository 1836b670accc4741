package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/** A big-endian length prefix of 2 or 4 bytes counting the bytes after it, 1 to {@code maxFrameLength}. */
record LengthPrefixFraming(int headerLength, int maxFrameLength) implements Framing {

    LengthPrefixFraming {
        if (headerLength != 2 && headerLength != 4) {
            throw new IllegalArgumentException("headerLength=" + headerLength + " (must be 2 or 4)");
        }
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " (must be at least 1)");
        }
        if (headerLength == 2 && maxFrameLength > 0xFFFF) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " does not fit a 2-byte header");
        }
    }

    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return new LengthPrefixDecoder(this, pool, allowance);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        long length = packet.remaining();
        check(length);
        return writeHeader(FrameEncoder.copy(pool, headerLength, length, 0, packet), length);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        long length = FrameEncoder.remaining(parts);
        check(length);
        return writeHeader(FrameEncoder.copy(pool, headerLength, length, 0, parts), length);
    }

    private void check(long length) {
        if (length < 1 || length > maxFrameLength) {
            throw new IllegalArgumentException("frame length=" + length + " outside 1.." + maxFrameLength);
        }
    }

    /** Big-endian byte by byte: the header must not depend on the order a buffer was left in. */
    private IoBuffer writeHeader(IoBuffer buffer, long length) {
        ByteBuffer out = buffer.byteBuffer();
        for (int i = 0; i < headerLength; i++) {
            out.put(i, (byte) (length >>> ((headerLength - 1 - i) * 8)));
        }
        return buffer;
    }

    @Override
    public String toString() {
        return "Framing.lengthPrefixed(" + headerLength + ", " + maxFrameLength + ")";
    }
}
