package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;

import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into frames behind a big-endian length prefix of 2 or 4 bytes. A frame that lies whole inside
 * the bytes given to {@link #decode} is handed over as a view of them, without a copy; only a frame split across
 * calls is gathered, holding the bytes that have arrived, never the length the header announced.
 *
 * <p>Not thread-safe: one decoder per connection, used by the thread that owns the connection.
 */
final class LengthPrefixDecoder extends PartialFrameDecoder {
    private final int headerLength;
    private final int maxFrameLength;
    private int headerBytesSeen;
    private int headerValue;
    /** The length of the frame being gathered across calls; 0 when no frame body is pending. */
    private int partialLength;

    LengthPrefixDecoder(LengthPrefixFraming framing, BufferPool pool, Accumulator.Allowance allowance) {
        super(pool, allowance);
        this.headerLength = framing.headerLength();
        this.maxFrameLength = framing.maxFrameLength();
    }

    @Override
    void decodeAvailable(ByteBuffer input, FrameSink sink) {
        while (input.hasRemaining()) {
            if (partialLength != 0) {
                if (!continuePartial(input, sink)) {
                    return;
                }
                continue;
            }
            int length;
            if (headerBytesSeen == 0 && input.remaining() >= headerLength) {
                length = readBigEndian(input, headerLength);
            } else {
                headerValue = (headerValue << 8) | (input.get() & 0xFF);
                if (++headerBytesSeen < headerLength) {
                    continue;
                }
                length = headerValue;
                headerBytesSeen = 0;
                headerValue = 0;
            }
            FrameError invalid = check(length);
            if (invalid != null) {
                fail(invalid);
                return;
            }
            if (input.remaining() >= length) {
                int start = input.position();
                input.position(start + length);
                if (!deliver(sink, input.slice(start, length))) {
                    return;
                }
            } else {
                partialLength = length;
            }
        }
    }

    @Override
    public boolean hasPartialFrame() {
        return partialLength != 0 || headerBytesSeen != 0;
    }

    @Override
    void resetPosition() {
        partialLength = 0;
        headerBytesSeen = 0;
        headerValue = 0;
    }

    private boolean continuePartial(ByteBuffer input, FrameSink sink) {
        int take = Math.min(partialLength - partial.size(), input.remaining());
        if (!gather(input, take, partialLength)) {
            return false;
        }
        if (partial.size() < partialLength) {
            return true;
        }
        int length = partialLength;
        partialLength = 0;
        return deliverPartial(sink, 0, length);
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
        if (length < 0 || length > maxFrameLength) {
            return FrameError.TOO_LARGE;
        }
        return null;
    }
}
