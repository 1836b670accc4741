package io.iocp4j.internal.files;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.internal.connection.RawSource;
import io.iocp4j.spi.SendableFile;
import io.iocp4j.spi.TransportSocket;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file's bytes going out on a connection in place of its send queue, one write in flight at a time. When the
 * transport opened the file for kernel-side writes ({@link SendableFile}), each write asks the socket for the rest of
 * the file and the bytes never enter user space. Otherwise the file is read into one pooled buffer of up to
 * {@link #CHUNK} bytes at a time (a direct buffer: the read is the only copy into user space, the write the only one
 * out), the next chunk read once the last is written.
 *
 * <p>Port thread only.
 */
final class FileStreamer implements RawSource {
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
    private SendableFile kernelFile;
    /** The next byte to read into the chunk, or (kernel-side) to write. */
    private long position;
    private long end;
    private Listener listener;
    private IoBuffer chunk;

    FileStreamer(BufferPool pool) {
        this.pool = pool;
    }

    @Override
    public boolean active() {
        return listener != null;
    }

    /**
     * Streams {@code [from, to)}: from {@code kernelFile} when it is not null (the streamer then owns it and closes
     * it when it stops), else read from {@code channel}.
     */
    void start(FileChannel channel, SendableFile kernelFile, long from, long to, Listener listener) {
        if (active()) {
            throw new IllegalStateException("a file is already streaming");
        }
        this.channel = channel;
        this.kernelFile = kernelFile;
        this.position = from;
        this.end = to;
        this.listener = listener;
    }

    /**
     * True once every byte is written; the listener has then been told and the streamer stopped.
     */
    @Override
    public boolean finishIfWritten() {
        if (position < end || (chunk != null && chunk.byteBuffer().hasRemaining())) {
            return false;
        }
        Listener done = listener;
        stop();
        done.streamed();
        return true;
    }

    /**
     * Starts the next write on {@code socket}; {@link #finishIfWritten()} said bytes are left.
     *
     * @throws IOException when the file cannot be read or ended early; the stream is over and nothing was started
     */
    @Override
    public void writeNext(TransportSocket socket, long userData) throws IOException {
        if (kernelFile != null) {
            socket.writeFile(kernelFile, position, end - position, userData);
            return;
        }
        if (chunk == null || !chunk.byteBuffer().hasRemaining()) {
            readChunk();
        }
        socket.write(sources, 0, 1, userData);
    }

    private void readChunk() throws IOException {
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
    }

    /** The write in flight wrote {@code bytes}. */
    @Override
    public void written(int bytes) {
        if (kernelFile != null) {
            position += bytes;
        }
        listener.progressed(bytes);
    }

    /** Ends the stream where it is; no write of it may be in flight. */
    @Override
    public void stop() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        if (kernelFile != null) {
            kernelFile.close();
            kernelFile = null;
        }
        sources[0] = null;
        channel = null;
        listener = null;
    }
}
