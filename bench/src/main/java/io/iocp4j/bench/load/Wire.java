package io.iocp4j.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What a {@link Flow} sends its bytes through and reads the echo from, non-blocking: the socket itself, or TLS over it
 * ({@link TlsWire}). Called by the generator's one thread alone.
 */
interface Wire {
    /** Takes what it can of {@code source} now; fewer bytes than offered means the socket is full. */
    int write(ByteBuffer source) throws IOException;

    /** Sends what {@link #write} took but the socket did not; true when nothing is left waiting. */
    boolean flush() throws IOException;

    /** Reads what has come into {@code target}: 0 when nothing has, -1 at the end of the stream. */
    int read(ByteBuffer target) throws IOException;

    /**
     * True when bytes already read from the socket wait to be handed out, which the selector does not see: read
     * again before waiting for it.
     */
    boolean hasBufferedInput();

    SocketChannel channel();

    /** Ends the connection (with TLS, after a close_notify when the socket takes it). */
    void close() throws IOException;

    static Wire plain(SocketChannel channel) {
        return new Plain(channel);
    }

    /** The socket itself. */
    record Plain(SocketChannel channel) implements Wire {
        @Override
        public int write(ByteBuffer source) throws IOException {
            return channel.write(source);
        }

        @Override
        public boolean flush() {
            return true;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            return channel.read(target);
        }

        @Override
        public boolean hasBufferedInput() {
            return false;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
