package io.iocp4j;

import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * What a server or client does with its connections: {@code onConnect}, then {@code onPacket} per packet, then
 * {@code onDisconnect} exactly once, after every other call for the connection has returned.
 *
 * <p>Without workers, every call for one connection runs on the I/O thread that owns it, one at a time, in order,
 * and must not block: a blocked call stalls every connection of its thread. With workers ({@code workers(n)} on
 * the builder), {@code onPacket}, {@code onFrameError}, {@code onWritable} and {@code onShutdown} run as jobs on the
 * job pool, in the order the builder's {@link io.iocp4j.job.Ordering} promises, and may block or compute;
 * {@code onConnect} and {@code onDisconnect} stay on the I/O thread.
 *
 * <p>An exception thrown by a call goes to {@link #onError} and closes that connection only.
 */
public interface Handler {
    /** A connection is open; packets follow. */
    default void onConnect(Connection connection) {
    }

    /**
     * One packet: a whole frame without its length header, or, without framing, whatever the socket delivered.
     * The buffer is valid only during the call; copy what must outlive it.
     */
    void onPacket(Connection connection, ByteBuffer packet);

    /**
     * The peer broke the framing (a frame over the size limit, or an empty one). No packet of this connection
     * follows. The default closes the connection.
     */
    default void onFrameError(Connection connection, FrameError error) {
        connection.close();
    }

    /**
     * The connection is writable again ({@link Connection#isWritable()}): its queue of reply bytes fell under the
     * low watermark after passing the high one.
     */
    default void onWritable(Connection connection) {
    }

    /** The server or client is shutting down gracefully; the connection will be closed once its sends drain. */
    default void onShutdown(Connection connection) {
    }

    /**
     * The server already had {@code maxConnections} open when this connection arrived: it gets no
     * {@code onConnect} and no packet, only this call, in which the handler may send a last word (the demo server's
     * ERROR BUSY); then the server closes it once that is written, and {@code onDisconnect} follows
     * ({@link CloseReason#OVER_LIMIT}). Runs on the I/O thread.
     */
    default void onOverLimit(Connection connection) {
    }

    /**
     * Nothing was received from the connection and nothing sent to it for the server's idle timeout. The handler
     * may send a last word; then the server closes it once that is written ({@link CloseReason#IDLE_TIMEOUT}).
     * Runs on the I/O thread.
     */
    default void onIdleTimeout(Connection connection) {
    }

    /** The connection has ended and its last operation has completed. Called exactly once per connection. */
    default void onDisconnect(Connection connection, CloseReason reason) {
    }

    /** A call of this handler threw {@code error}; the connection is being closed. */
    default void onError(Connection connection, Throwable error) {
        System.getLogger(Handler.class.getName())
                .log(System.Logger.Level.WARNING, "handler failed on " + connection, error);
    }
}
