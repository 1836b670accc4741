package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * Cuts packets at a {@link DelimiterFraming}'s delimiters. A packet whose end is in the input is handed over as a
 * view of it; bytes without an end yet are gathered, and searched again from where a delimiter could still begin,
 * so that each byte is looked at a bounded number of times.
 */
final class DelimiterDecoder extends GatheringDecoder {
    private final DelimiterFraming framing;
    private final int limit;
    /** Where the next search of the gathered bytes starts: no delimiter begins before it. */
    private int searchFrom;

    DelimiterDecoder(DelimiterFraming framing, BufferPool pool, Accumulator.Allowance allowance) {
        super(pool, allowance);
        this.framing = framing;
        this.limit = framing.limit();
    }

    @Override
    boolean cutFromInput(ByteBuffer input, FrameSink sink) {
        int start = input.position();
        int end = start + Math.min(input.remaining(), limit);
        long found = framing.find(input, start, end);
        if (found == DelimiterFraming.NOT_YET) {
            if (end - start >= limit) {
                fail(FrameError.TOO_LARGE);
                return false;
            }
            int count = input.remaining();
            if (!gather(input, count, limit)) {
                return false;
            }
            searchFrom = Math.max(0, count - framing.longest() + 1);
            return true;
        }
        int at = (int) found;
        if (at - start > framing.maxFrameLength()) {
            fail(FrameError.TOO_LARGE);
            return false;
        }
        input.position(at + (int) (found >>> 32));
        return deliver(sink, input.slice(start, at - start));
    }

    /**
     * Gathers as much of the input as a packet may still take and searches it; the bytes gathered past the
     * delimiter are given back to the input.
     */
    @Override
    boolean continuePartial(ByteBuffer input, FrameSink sink) {
        int held = partial.size();
        int count = Math.min(limit - held, input.remaining());
        if (!gather(input, count, limit)) {
            return false;
        }
        ByteBuffer bytes = partial.bytes();
        int end = partial.size();
        long found = framing.find(bytes, searchFrom, end);
        if (found == DelimiterFraming.NOT_YET) {
            if (end >= limit) {
                fail(FrameError.TOO_LARGE);
                return false;
            }
            searchFrom = Math.max(searchFrom, end - framing.longest() + 1);
            return true;
        }
        int at = (int) found;
        if (at > framing.maxFrameLength()) {
            fail(FrameError.TOO_LARGE);
            return false;
        }
        int consumed = at + (int) (found >>> 32);
        input.position(input.position() - (end - consumed));
        searchFrom = 0;
        return deliverPartial(sink, 0, at);
    }

    @Override
    void resetPosition() {
        searchFrom = 0;
    }
}
