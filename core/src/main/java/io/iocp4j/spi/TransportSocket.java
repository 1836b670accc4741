package io.iocp4j.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connected socket owned by one completion port. Every method is called on that port's thread, and each
 * operation ends in exactly one call of the port's {@link CompletionSink} with the given user data (a multishot
 * receive: one per result, all but the last flagged {@link UserData#F_MORE}), even when it fails to start.
 */
public interface TransportSocket {
    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /**
     * Starts receiving. The completion carries a pooled buffer with the bytes received between position 0 and the
     * result; a result of 0 means the peer shut down its output. At most one receive is in flight.
     */
    void receive(long userData);

    /**
     * Asks the receive in flight to end early (the connection wants no more bytes for now). Its completions still
     * arrive as usual: bytes that were already on their way, and a last one without {@link UserData#F_MORE},
     * possibly {@code -ECANCELED}. A transport whose receive ends by itself after each result may do nothing.
     */
    void cancelReceive();

    /**
     * A hint: what arrives next is a bulk stream (a file's bytes), best received in large buffers; or, with false,
     * that it ended. A transport whose receive buffers do not come in sizes ignores it.
     */
    default void receiveInBulk(boolean bulk) {
    }

    /**
     * Writes from {@code sources[offset .. offset+length)}, as a gathering channel does: the completion's result
     * is the number of bytes written, and the sources' positions have been advanced by exactly that much. At most
     * one write is in flight.
     */
    void write(ByteBuffer[] sources, int offset, int length, long userData);

    /**
     * Lets go of this socket so that another port of the same transport can {@link CompletionPort#adopt adopt} it.
     * Allowed only when no operation of this socket is in flight (no receive, no write, no close); afterwards this
     * object must not be used again.
     *
     * @throws IllegalStateException when an operation is still in flight
     */
    SocketHandoff handOff();

    /**
     * Writes bytes {@code [position, position + length)} of {@code file} (opened by this socket's port) without
     * bringing them into user space. The completion's result is how many of those bytes, counted from
     * {@code position}, were written (at least one), or a negative errno; a file that ends before
     * {@code position + length} gives {@link Errno#EIO}. The next write from the same file starts where this one
     * ended. At most one write, of either kind, is in flight.
     */
    default void writeFile(SendableFile file, long position, long length, long userData) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no kernel-side file write");
    }

    /** Shuts down the output side: the peer reads end of stream after what was written. */
    void shutdownOutput();

    /**
     * Closes the socket. Operations in flight complete (with {@code -ECANCELED} or their real result) before or
     * after the close's own completion.
     */
    void close(long userData);
}
