package io.iocp4j.internal.connection;

import java.nio.ByteBuffer;

/** Raw bytes still to go to a sink before frames are decoded again (a file's), on the receiving side. */
final class RawStream {
    final RawSink sink;
    private long left;

    RawStream(RawSink sink, long left) {
        if (left <= 0) {
            throw new IllegalStateException("count=" + left);
        }
        this.sink = sink;
        this.left = left;
    }

    /** Takes the stream's next bytes out of {@code bytes}: as many as are left of it, at most. */
    ByteBuffer take(ByteBuffer bytes) {
        int length = (int) Math.min(left, bytes.remaining());
        int start = bytes.position();
        bytes.position(start + length);
        left -= length;
        return bytes.slice(start, length);
    }

    /** Every byte of the stream was taken. */
    boolean ended() {
        return left == 0;
    }

    long left() {
        return left;
    }
}
