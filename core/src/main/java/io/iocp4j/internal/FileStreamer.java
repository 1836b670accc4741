package io.iocp4j.internal;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file's bytes going out on a connection in place of its send queue: read into one pooled buffer of up to
 * {@link #CHUNK} bytes at a time, written with one write in flight, the next chunk read once the last is written.
 * The transport sees an ordinary write, so both transports stream files the same way.
 *
 * <p>Port thread only.
 */
final class FileStreamer {
    /** Large enough that a write moves what a loopback socket buffer takes in one go. */
    static final int CHUNK = 1 << 20;

    /** What the streamer tells its owner, on the port thread. */
    interface Listener {
        void progressed(long bytes);

        /** Every byte was written. */
        void streamed();
    }

    private final BufferPool pool;
    private final ByteBuffer[] sources = new ByteBuffer[1];
    private FileChannel channel;
    private long position;
    private long end;
    private Listener listener;
    private IoBuffer chunk;

    FileStreamer(BufferPool pool) {
        this.pool = pool;
    }

    boolean active() {
        return listener != null;
    }

    void start(FileChannel channel, long from, long to, Listener listener) {
        if (active()) {
            throw new IllegalStateException("a file is already streaming");
        }
        this.channel = channel;
        this.position = from;
        this.end = to;
        this.listener = listener;
    }

    /**
     * The bytes to write next, or null once the whole file is written (the listener has been told).
     *
     * @throws IOException when the file cannot be read or ended early; the stream is over
     */
    ByteBuffer[] next() throws IOException {
        if (chunk != null && chunk.byteBuffer().hasRemaining()) {
            return sources;
        }
        if (position == end) {
            Listener done = listener;
            stop();
            done.streamed();
            return null;
        }
        if (chunk == null) {
            chunk = pool.lease(CHUNK);
        }
        ByteBuffer target = chunk.byteBuffer().clear();
        target.limit((int) Math.min(CHUNK, end - position));
        try {
            while (target.hasRemaining()) {
                int read = channel.read(target, position + target.position());
                if (read < 0) {
                    throw new EOFException("file ended at " + (position + target.position()) + " of " + end
                            + " bytes");
                }
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
        position += target.flip().remaining();
        sources[0] = target;
        return sources;
    }

    void written(int bytes) {
        listener.progressed(bytes);
    }

    /** Ends the stream where it is; no write of it may be in flight. */
    void stop() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        sources[0] = null;
        channel = null;
        listener = null;
    }
}
