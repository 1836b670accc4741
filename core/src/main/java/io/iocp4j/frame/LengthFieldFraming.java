package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Frames described by a length field anywhere in their first bytes: a field of 1, 2, 3, 4 or 8 bytes, in either
 * byte order, {@code offset} bytes into the frame. A frame is {@code offset + fieldLength + value + adjustment}
 * bytes long; the packet handed over is the frame without its first {@code strip} bytes, at most
 * {@code maxFrameLength} long and never empty.
 *
 * <p>Made with {@link Framing#lengthField(int)}: {@code Framing.lengthField(65536).bytes(2).build()} is a 2-byte
 * big-endian prefix counting the bytes after it, stripped from the packet. A header of a type byte then a
 * little-endian length counting the whole frame, kept in the packet:
 * {@code Framing.lengthField(4096).offset(1).bytes(4).order(LITTLE_ENDIAN).adjustment(-5).strip(0).build()}.
 *
 * <p>Encoding writes the header when it is all the codec strips and the field comes first; a codec that strips
 * nothing sends each packet as it is, once its own header is checked to describe it. Other layouts decode only.
 */
public final class LengthFieldFraming implements Framing {
    private final int fieldLength;
    private final ByteOrder order;
    private final int offset;
    private final int adjustment;
    private final int strip;
    private final int maxFrameLength;

    private LengthFieldFraming(Builder builder) {
        this.fieldLength = builder.fieldLength;
        this.order = builder.order;
        this.offset = builder.offset;
        this.adjustment = builder.adjustment;
        this.strip = builder.strip < 0 ? builder.offset + builder.fieldLength : builder.strip;
        this.maxFrameLength = builder.maxFrameLength;
    }

    /** Describes a length field; every setting has a default but the longest packet. */
    public static final class Builder {
        private int fieldLength = 4;
        private ByteOrder order = ByteOrder.BIG_ENDIAN;
        private int offset;
        private int adjustment;
        private int strip = -1;
        private final int maxFrameLength;

        Builder(int maxFrameLength) {
            if (maxFrameLength < 1) {
                throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " (must be at least 1)");
            }
            this.maxFrameLength = maxFrameLength;
        }

        /** The field's size: 1, 2, 3, 4 (the default) or 8 bytes. */
        public Builder bytes(int fieldLength) {
            if (fieldLength < 1 || fieldLength > 4 && fieldLength != 8) {
                throw new IllegalArgumentException("length field of " + fieldLength + " bytes (1, 2, 3, 4 or 8)");
            }
            this.fieldLength = fieldLength;
            return this;
        }

        /** The field's byte order; big-endian by default. */
        public Builder order(ByteOrder order) {
            this.order = Objects.requireNonNull(order, "order");
            return this;
        }

        /** Bytes before the field in each frame; 0 by default. */
        public Builder offset(int offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset=" + offset);
            }
            this.offset = offset;
            return this;
        }

        /**
         * Added to the field's value to give the bytes that follow the field: negative when the value counts the
         * header too (-4 for a 4-byte field counting the whole frame), positive when it leaves a trailer out.
         */
        public Builder adjustment(int adjustment) {
            this.adjustment = adjustment;
            return this;
        }

        /** Bytes cut from the start of each frame before it is handed over; by default the offset and the field. */
        public Builder strip(int strip) {
            if (strip < 0) {
                throw new IllegalArgumentException("strip=" + strip);
            }
            this.strip = strip;
            return this;
        }

        public LengthFieldFraming build() {
            return new LengthFieldFraming(this);
        }
    }

    /** Bytes from the start of a frame to the end of its length field. */
    int headerEnd() {
        return offset + fieldLength;
    }

    int offset() {
        return offset;
    }

    int strip() {
        return strip;
    }

    /**
     * The whole frame's length for the field at {@code index} of {@code bytes} (absolute, position untouched); or a
     * negative number: -1 for a packet too long, -2 for an empty one, -3 for a frame shorter than its header.
     */
    long frameLength(ByteBuffer bytes, int index) {
        long value = 0;
        for (int i = 0; i < fieldLength; i++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? (fieldLength - 1 - i) * 8 : i * 8;
            value |= (bytes.get(index + i) & 0xFFL) << shift;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            // An 8-byte field past what any buffer holds, read as unsigned: too large whatever the limit.
            return -1;
        }
        long frame = headerEnd() + value + adjustment;
        if (frame < headerEnd() || frame < strip) {
            return -3;
        }
        long packet = frame - strip;
        if (packet > maxFrameLength || frame > Integer.MAX_VALUE) {
            return -1;
        }
        return packet == 0 ? -2 : frame;
    }

    static FrameError errorFor(long frameLength) {
        return frameLength == -1 ? FrameError.TOO_LARGE : frameLength == -2 ? FrameError.EMPTY : FrameError.MALFORMED;
    }

    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return new LengthFieldDecoder(this, pool, allowance);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        long length = packet.remaining();
        if (strip == 0) {
            checkOwnHeader(packet, length);
            return FrameEncoder.copy(pool, 0, length, 0, packet);
        }
        long value = checkPrefix(length);
        return writeField(FrameEncoder.copy(pool, strip, length, 0, packet), value);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        long length = FrameEncoder.remaining(parts);
        if (strip == 0) {
            IoBuffer whole = FrameEncoder.copy(pool, 0, length, 0, parts);
            try {
                checkOwnHeader(whole.byteBuffer(), length);
            } catch (RuntimeException e) {
                whole.release();
                throw e;
            }
            return whole;
        }
        long value = checkPrefix(length);
        return writeField(FrameEncoder.copy(pool, strip, length, 0, parts), value);
    }

    /** A packet that keeps its header must carry one that describes exactly it. */
    private void checkOwnHeader(ByteBuffer packet, long length) {
        if (length < headerEnd()) {
            throw new IllegalArgumentException("packet of " + length + " bytes is shorter than its own header");
        }
        long described = frameLength(packet, packet.position() + offset);
        if (described != length) {
            throw new IllegalArgumentException("packet of " + length + " bytes carries a header describing "
                    + (described < 0 ? "no valid frame (" + errorFor(described) + ")" : described + " bytes"));
        }
    }

    /** The field's value for a packet that follows the header this codec writes. */
    private long checkPrefix(long length) {
        if (offset != 0 || strip != fieldLength) {
            throw new UnsupportedOperationException(this + " decodes only: its encoder writes a header only when "
                    + "the length field comes first and is all that is stripped, or keeps the packet whole");
        }
        if (length < 1 || length > maxFrameLength) {
            throw new IllegalArgumentException("frame length=" + length + " outside 1.." + maxFrameLength);
        }
        long value = length - adjustment;
        if (value < 0 || fieldLength < 8 && value >= 1L << (fieldLength * 8)) {
            throw new IllegalArgumentException("frame length=" + length + " does not fit a " + fieldLength
                    + "-byte field adjusted by " + adjustment);
        }
        return value;
    }

    private IoBuffer writeField(IoBuffer buffer, long value) {
        ByteBuffer out = buffer.byteBuffer();
        for (int i = 0; i < fieldLength; i++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? (fieldLength - 1 - i) * 8 : i * 8;
            out.put(offset + i, (byte) (value >>> shift));
        }
        return buffer;
    }

    @Override
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public String toString() {
        return "Framing.lengthField(" + maxFrameLength + ").bytes(" + fieldLength + ").order(" + order + ").offset("
                + offset + ").adjustment(" + adjustment + ").strip(" + strip + ")";
    }
}
