package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/**
 * A codec: how a byte stream is cut into packets, and how a packet is framed to be sent. Declared once on a builder
 * (or per listener); every connection gets a {@link FrameDecoder} of its own from {@link #newDecoder}, while
 * {@link #encode} is shared and may be called from any thread.
 *
 * <p>The codecs users expect are made here: {@link #lengthPrefixed} and {@link #lengthField} for a length in a
 * header, {@link #lines} and {@link #delimited} for packets ended by a delimiter, {@link #fixedLength}, and
 * {@link #none()} for a stream handed over in the chunks it arrives in. Every decoder holds only bytes that have
 * arrived, within the connection's allowance. A protocol of its own implements this interface.
 */
public interface Framing {
    /**
     * A decoder for one connection, whose partial packets are paid for by {@code allowance}; null for
     * {@link #none()} alone, whose chunks need no decoding.
     */
    FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance);

    /** A decoder for one connection, with no bound on what partial packets may hold but the codec's own. */
    default FrameDecoder newDecoder(BufferPool pool) {
        return newDecoder(pool, Accumulator.Allowance.UNLIMITED);
    }

    /**
     * Frames the remaining bytes of {@code packet} into a pooled buffer ready to send (its position left as it
     * was). Throws {@link IllegalArgumentException} when the packet cannot be framed: empty, too long, or holding
     * what the codec forbids.
     */
    IoBuffer encode(BufferPool pool, ByteBuffer packet);

    /** As {@link #encode(BufferPool, ByteBuffer)} for the remaining bytes of all {@code parts}, in order. */
    IoBuffer encode(BufferPool pool, ByteBuffer... parts);

    /** The longest packet this codec takes or makes, not counting the bytes that frame it. */
    int maxFrameLength();

    /** False for {@link #none()} alone: each chunk received is a packet, and sends go out as they are. */
    default boolean isFramed() {
        return true;
    }

    /** Frames whose big-endian header of 2 or 4 bytes counts the bytes after it, 1 to {@code maxFrameLength}. */
    static Framing lengthPrefixed(int headerLength, int maxFrameLength) {
        return new LengthPrefixFraming(headerLength, maxFrameLength);
    }

    /**
     * A length field described by the returned builder: 1, 2, 3, 4 or 8 bytes, either byte order, at an offset,
     * adjusted, and bytes stripped; packets of 1 to {@code maxFrameLength} bytes.
     */
    static LengthFieldFraming.Builder lengthField(int maxFrameLength) {
        return new LengthFieldFraming.Builder(maxFrameLength);
    }

    /**
     * Lines ended by {@code \n} or {@code \r\n}, handed over without the ending (an empty line as an empty
     * packet), each at most {@code maxLineLength} bytes; a packet sent goes out with {@code \n} appended.
     */
    static Framing lines(int maxLineLength) {
        return DelimiterFraming.lines(maxLineLength);
    }

    /**
     * Packets ended by any of {@code delimiters} (the one that starts first wins; at the same byte, the one listed
     * first), handed over without it, each at most {@code maxFrameLength} bytes; a packet sent goes out with the
     * first delimiter appended.
     */
    static Framing delimited(int maxFrameLength, byte[]... delimiters) {
        return DelimiterFraming.delimited(maxFrameLength, delimiters);
    }

    /** Packets of exactly {@code length} bytes, with nothing around them. */
    static Framing fixedLength(int length) {
        return new FixedLengthFraming(length);
    }

    /** No framing: every chunk the socket delivers is handed over as it is, and sends go out unchanged. */
    static Framing none() {
        return NoFraming.INSTANCE;
    }
}
