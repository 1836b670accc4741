package io.iocp4j.frame;

/**
 * How a byte stream is cut into packets: either a big-endian length prefix of 2 or 4 bytes counting the bytes
 * that follow it, with an upper bound, or no framing at all (each received chunk is one packet).
 */
public record Framing(int headerLength, int maxFrameLength) {

    public Framing {
        if (headerLength != 0 && headerLength != 2 && headerLength != 4) {
            throw new IllegalArgumentException("headerLength=" + headerLength + " (must be 0, 2 or 4)");
        }
        if (headerLength != 0 && maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " (must be at least 1)");
        }
        if (headerLength == 2 && maxFrameLength > 0xFFFF) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " does not fit a 2-byte header");
        }
    }

    /** Frames whose header of {@code headerLength} bytes counts the bytes after it, 1 to {@code maxFrameLength}. */
    public static Framing lengthPrefixed(int headerLength, int maxFrameLength) {
        return new Framing(headerLength, maxFrameLength);
    }

    /** No framing: every chunk the socket delivers is handed over as it is. */
    public static Framing none() {
        return new Framing(0, 0);
    }

    public boolean isFramed() {
        return headerLength != 0;
    }
}
