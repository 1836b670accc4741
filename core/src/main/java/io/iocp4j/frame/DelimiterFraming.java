package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Packets ended by a delimiter, handed over without it: lines ({@code \n} or {@code \r\n}) or any byte sequences.
 * A packet ends at the delimiter that starts first; of two starting at the same byte, the one listed first. Packets
 * may be empty (a blank line); one longer than {@code maxFrameLength} is {@link FrameError#TOO_LARGE}, known at the
 * latest when {@code maxFrameLength} plus the longest delimiter's bytes have come without an end.
 *
 * <p>Encoding appends the first delimiter, and refuses a packet that would be cut elsewhere on the other side:
 * one holding a delimiter, or ending in bytes that make one with the delimiter appended.
 */
final class DelimiterFraming implements Framing {
    private final int maxFrameLength;
    private final byte[][] delimiters;
    private final int longest;
    private final String name;

    DelimiterFraming(int maxFrameLength, byte[][] delimiters, String name) {
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " (must be at least 1)");
        }
        if (delimiters.length == 0) {
            throw new IllegalArgumentException("no delimiter");
        }
        int max = 0;
        byte[][] copies = new byte[delimiters.length][];
        for (int i = 0; i < delimiters.length; i++) {
            if (delimiters[i] == null || delimiters[i].length == 0) {
                throw new IllegalArgumentException("delimiter " + i + " is empty");
            }
            copies[i] = delimiters[i].clone();
            max = Math.max(max, copies[i].length);
        }
        if ((long) maxFrameLength + max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " leaves no room for a delimiter");
        }
        this.maxFrameLength = maxFrameLength;
        this.delimiters = copies;
        this.longest = max;
        this.name = name;
    }

    /** A line: {@code \n} or {@code \r\n}; a line sent ends with {@code \n}. */
    static DelimiterFraming lines(int maxLineLength) {
        return new DelimiterFraming(maxLineLength, new byte[][] {{'\n'}, {'\r', '\n'}},
                "Framing.lines(" + maxLineLength + ")");
    }

    static DelimiterFraming delimited(int maxFrameLength, byte[]... delimiters) {
        String listed = Arrays.stream(delimiters)
                .map(d -> d == null ? "null" : HexFormat.of().formatHex(d))
                .collect(Collectors.joining(", "));
        return new DelimiterFraming(maxFrameLength, delimiters,
                "Framing.delimited(" + maxFrameLength + ", " + listed + ")");
    }

    /** The most bytes a packet and its delimiter take: more without an end is an error. */
    int limit() {
        return maxFrameLength + longest;
    }

    int longest() {
        return longest;
    }

    /** A result of {@link #find}: no delimiter ends in the bytes given, or one may still end after them. */
    static final long NOT_YET = -1;

    /**
     * The first delimiter in {@code bytes} from index {@code from} to {@code end} (absolute): its start in the low
     * 32 bits and its length in the high ones; or {@link #NOT_YET} when none is whole there or one that would start
     * first is cut by {@code end}.
     */
    long find(ByteBuffer bytes, int from, int end) {
        for (int at = from; at < end; at++) {
            byte first = bytes.get(at);
            for (byte[] delimiter : delimiters) {
                if (delimiter[0] != first) {
                    continue;
                }
                int compared = Math.min(delimiter.length, end - at);
                if (!matches(bytes, at, delimiter, compared)) {
                    continue;
                }
                if (compared < delimiter.length) {
                    // It may yet end here with the next bytes: nothing after it can be decided before them.
                    return NOT_YET;
                }
                return ((long) delimiter.length << 32) | at;
            }
        }
        return NOT_YET;
    }

    private static boolean matches(ByteBuffer bytes, int at, byte[] delimiter, int count) {
        for (int i = 1; i < count; i++) {
            if (bytes.get(at + i) != delimiter[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return new DelimiterDecoder(this, pool, allowance);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        long length = packet.remaining();
        checkLength(length);
        return terminate(FrameEncoder.copy(pool, 0, length, delimiters[0].length, packet), (int) length);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        long length = FrameEncoder.remaining(parts);
        checkLength(length);
        return terminate(FrameEncoder.copy(pool, 0, length, delimiters[0].length, parts), (int) length);
    }

    private void checkLength(long length) {
        if (length > maxFrameLength) {
            throw new IllegalArgumentException("frame length=" + length + " over " + maxFrameLength);
        }
    }

    /** Appends the delimiter, then checks that the packet reads back whole; the lease is released if not. */
    private IoBuffer terminate(IoBuffer buffer, int length) {
        ByteBuffer out = buffer.byteBuffer();
        out.put(length, delimiters[0]);
        long found = find(out, 0, length + delimiters[0].length);
        if ((int) found != length) {
            buffer.release();
            throw new IllegalArgumentException("packet holds a delimiter of " + this + " at byte " + (int) found
                    + ": it would be cut there");
        }
        return buffer;
    }

    @Override
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public String toString() {
        return name;
    }
}
