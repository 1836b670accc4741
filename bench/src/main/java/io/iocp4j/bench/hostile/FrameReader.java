package io.iocp4j.bench.hostile;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads frames from a blocking stream, keeping only the first bytes of each body: the attackers need a frame's type
 * and its leading fields (an ERROR's code, a FILE_ACCEPT's offset), never a whole 64 KiB echo, so the rest is
 * skipped rather than held.
 */
final class FrameReader {
    /** Enough for every fixed field the tool looks at, and for the short TEXT of the serving check. */
    static final int KEPT_BODY_BYTES = 256;

    private final DataInputStream in;
    private final byte[] kept = new byte[KEPT_BODY_BYTES];
    private int type;
    private int bodyLength;

    FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /**
     * Reads the next frame; its type, or -1 at a clean end of the stream before a frame began.
     *
     * @throws EOFException when the stream ends inside a frame
     */
    int next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
                | in.readUnsignedByte();
        if (length < 1) {
            throw new IOException("frame length " + Integer.toUnsignedString(length));
        }
        type = in.readUnsignedByte();
        bodyLength = length - 1;
        int keep = Math.min(bodyLength, kept.length);
        in.readFully(kept, 0, keep);
        in.skipNBytes(bodyLength - keep);
        return type;
    }

    int type() {
        return type;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** The kept start of the last body (all of it when it was short). */
    byte[] bodyStart() {
        return Arrays.copyOf(kept, Math.min(bodyLength, kept.length));
    }

    /** An ERROR frame's code (its first two body bytes), or -1 for another frame or a malformed ERROR. */
    int errorCode() {
        return type == WireFrames.ERROR && bodyLength >= 2 ? ((kept[0] & 0xFF) << 8) | (kept[1] & 0xFF) : -1;
    }

    /** A FILE_ACCEPT's offset, or -1 for another frame or a malformed FILE_ACCEPT. */
    long acceptOffset() {
        return type == WireFrames.FILE_ACCEPT && bodyLength == 8 ? ByteBuffer.wrap(kept, 0, 8).getLong() : -1;
    }
}
