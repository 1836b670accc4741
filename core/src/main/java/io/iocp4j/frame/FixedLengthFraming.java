package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/** Packets of exactly {@code length} bytes, nothing around them; a packet sent must be that long. */
record FixedLengthFraming(int length) implements Framing {

    FixedLengthFraming {
        if (length < 1) {
            throw new IllegalArgumentException("length=" + length + " (must be at least 1)");
        }
    }

    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return new FixedLengthDecoder(length, pool, allowance);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        check(packet.remaining());
        return FrameEncoder.copy(pool, 0, length, 0, packet);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        check(FrameEncoder.remaining(parts));
        return FrameEncoder.copy(pool, 0, length, 0, parts);
    }

    private void check(long given) {
        if (given != length) {
            throw new IllegalArgumentException("packet of " + given + " bytes, this codec's are " + length);
        }
    }

    @Override
    public int maxFrameLength() {
        return length;
    }

    @Override
    public String toString() {
        return "Framing.fixedLength(" + length + ")";
    }

    /** Slices whole packets out of the input; gathers only the packet a call leaves unfinished. */
    private static final class FixedLengthDecoder extends GatheringDecoder {
        private final int length;

        FixedLengthDecoder(int length, BufferPool pool, Accumulator.Allowance allowance) {
            super(pool, allowance);
            this.length = length;
        }

        @Override
        boolean continuePartial(ByteBuffer input, FrameSink sink) {
            int take = Math.min(length - partial.size(), input.remaining());
            if (!gather(input, take, length)) {
                return false;
            }
            return partial.size() < length || deliverPartial(sink, 0, length);
        }

        @Override
        boolean cutFromInput(ByteBuffer input, FrameSink sink) {
            if (input.remaining() < length) {
                return gather(input, input.remaining(), length);
            }
            int start = input.position();
            input.position(start + length);
            return deliver(sink, input.slice(start, length));
        }

        @Override
        void resetPosition() {
        }
    }
}
