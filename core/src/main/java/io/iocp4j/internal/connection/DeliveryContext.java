package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;

/**
 * What a {@link Delivery} reaches of its connection beside its two sides: the connection as its handler knows it,
 * the reference pending jobs hold, the port thread, and the close. Each method says which thread may call it.
 */
interface DeliveryContext extends Connection {
    /** Any thread: closes now with {@code reason} unless a close has already begun. */
    void closeWith(CloseReason reason);

    /** Any thread: stops taking sends, lets the queue drain, then closes. */
    void drainThenClose(CloseReason cause);

    /** Port thread. */
    void acquire();

    /** Port thread. */
    void dropReference();

    /** See {@link RealConnection#onOwnPort}. */
    boolean onOwnPort(Runnable task);

    /** Any thread: {@code task} runs on the port, where it starts with {@link #onOwnPort}. */
    void executeOnPort(Runnable task);
}
