package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.spi.TransportSocket;

/**
 * What the receiving side ({@link Inbound}) reaches of its connection: the socket to receive on, the reference a
 * receive in flight holds, the close, and the byte count. Port thread only, unless said otherwise.
 */
interface ReceiveContext {
    TransportSocket socket();

    /** The user data of an operation of this connection. */
    long userData(int op);

    /** Any thread. */
    boolean isOpen();

    /** Any thread: true on the thread of the port the connection is on. */
    boolean inPortThread();

    void acquire();

    void dropReference();

    /** Any thread. */
    void closeWith(CloseReason reason);

    void countReceived(int bytes);
}
