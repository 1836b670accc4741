package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/** The stream as it comes: no decoder (each chunk received is a packet) and sends copied as they are. */
final class NoFraming implements Framing {
    static final NoFraming INSTANCE = new NoFraming();

    private NoFraming() {
    }

    /** None: without a decoder, the connection hands over each chunk as it arrives. */
    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return null;
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        return FrameEncoder.copy(pool, 0, packet.remaining(), 0, packet);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        return FrameEncoder.copy(pool, 0, FrameEncoder.remaining(parts), 0, parts);
    }

    @Override
    public int maxFrameLength() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean isFramed() {
        return false;
    }

    @Override
    public String toString() {
        return "Framing.none()";
    }
}
