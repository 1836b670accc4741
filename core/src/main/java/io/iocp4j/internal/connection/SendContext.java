package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.spi.TransportSocket;

/**
 * What the sending side ({@link Outbound}) reaches of its connection: the socket to write on, the state a send is
 * judged by, the reference a write in flight holds, the close, the port thread and the byte counts. Port thread
 * only, unless said otherwise.
 */
interface SendContext {
    /** Any thread. */
    long id();

    /** Any thread: one of {@link ConnectionState}'s. */
    int state();

    /** Any thread. */
    boolean isOpen();

    TransportSocket socket();

    /** The user data of an operation of this connection. */
    long userData(int op);

    void acquire();

    void dropReference();

    /** Any thread. */
    void closeWith(CloseReason reason);

    /** The close of a draining connection whose queue is written. */
    void closeOnPort();

    /** Any thread: true on the thread of the port the connection is on. */
    boolean inPortThread();

    /** See {@link RealConnection#onOwnPort}. */
    boolean onOwnPort(Runnable task);

    /** Any thread: {@code task} runs on the port, where it starts with {@link #onOwnPort}. */
    void executeOnPort(Runnable task);

    /** Any thread: runs {@code task} on the connection's port thread, following the connection if it moves. */
    void runOnPort(Runnable task);

    void countSent(int bytes);

    /** Queued frames dropped unsent because the connection closed. */
    void countDropped(int frames);
}
