package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * A decoder whose only state between calls is the packet it has begun gathering: while one is held, the next bytes
 * go to it; otherwise packets are cut from the input itself.
 */
abstract class GatheringDecoder extends PartialFrameDecoder {
    GatheringDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        super(pool, allowance);
    }

    @Override
    final void decodeAvailable(ByteBuffer input, FrameSink sink) {
        while (input.hasRemaining()) {
            boolean goOn = partial.size() > 0 ? continuePartial(input, sink) : cutFromInput(input, sink);
            if (!goOn) {
                return;
            }
        }
    }

    /** Adds input to the packet begun; false when decoding stops (the sink said so, an error, a refusal). */
    abstract boolean continuePartial(ByteBuffer input, FrameSink sink);

    /** Hands over packets lying whole in the input, or begins gathering one; false when decoding stops. */
    abstract boolean cutFromInput(ByteBuffer input, FrameSink sink);

    @Override
    public final boolean hasPartialFrame() {
        return partial.size() > 0;
    }
}
