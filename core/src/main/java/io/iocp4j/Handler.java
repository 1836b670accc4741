package io.iocp4j;

import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * What a server or client does with its connections. Every call for one connection runs on the I/O thread that
 * owns it, one at a time, in order: {@code onConnect}, then {@code onPacket} per packet, then
 * {@code onDisconnect} exactly once. Calls must not block: a blocked call stalls every connection of its thread.
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

    /** The server or client is shutting down gracefully; the connection will be closed once its sends drain. */
    default void onShutdown(Connection connection) {
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
