package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * Cuts frames by a {@link LengthFieldFraming}'s field. A frame whole inside the input is handed over as a view of
 * it; otherwise the bytes before the field's end are gathered first, then the frame's length, read from them, bounds
 * what is gathered next.
 */
final class LengthFieldDecoder extends GatheringDecoder {
    private final LengthFieldFraming framing;
    private final int headerEnd;
    private final int fieldOffset;
    /** The whole frame's length once its header has been gathered; 0 while the header is incomplete. */
    private int pendingFrame;

    LengthFieldDecoder(LengthFieldFraming framing, BufferPool pool, Accumulator.Allowance allowance) {
        super(pool, allowance);
        this.framing = framing;
        this.headerEnd = framing.headerEnd();
        this.fieldOffset = framing.offset();
    }

    @Override
    boolean cutFromInput(ByteBuffer input, FrameSink sink) {
        int start = input.position();
        if (input.remaining() < headerEnd) {
            return gather(input, input.remaining(), headerEnd);
        }
        long frame = framing.frameLength(input, start + fieldOffset);
        if (frame < 0) {
            fail(LengthFieldFraming.errorFor(frame));
            return false;
        }
        if (input.remaining() < frame) {
            pendingFrame = (int) frame;
            return gather(input, input.remaining(), pendingFrame);
        }
        input.position(start + (int) frame);
        int strip = framing.strip();
        return deliver(sink, input.slice(start + strip, (int) frame - strip));
    }

    @Override
    boolean continuePartial(ByteBuffer input, FrameSink sink) {
        if (pendingFrame == 0) {
            int take = Math.min(headerEnd - partial.size(), input.remaining());
            if (!gather(input, take, headerEnd)) {
                return false;
            }
            if (partial.size() < headerEnd) {
                return true;
            }
            long frame = framing.frameLength(partial.bytes(), fieldOffset);
            if (frame < 0) {
                fail(LengthFieldFraming.errorFor(frame));
                return false;
            }
            pendingFrame = (int) frame;
            if (partial.size() < pendingFrame) {
                return true;
            }
        } else {
            int take = Math.min(pendingFrame - partial.size(), input.remaining());
            if (!gather(input, take, pendingFrame)) {
                return false;
            }
            if (partial.size() < pendingFrame) {
                return true;
            }
        }
        int frame = pendingFrame;
        pendingFrame = 0;
        return deliverPartial(sink, framing.strip(), frame - framing.strip());
    }

    @Override
    void resetPosition() {
        pendingFrame = 0;
    }
}
