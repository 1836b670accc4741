package io.iocp4j.internal.connection;

/** A connection's states, in the order it passes them; {@link RealConnection#state()} reads the current one. */
public final class ConnectionState {
    public static final int OPEN = 0;
    /** No sends accepted, nothing more read; closes once the queue is written. */
    public static final int DRAINING = 1;
    /** Close issued or about to be; queued sends are dropped. */
    public static final int CLOSED = 2;
    /** Every completion has arrived and everything is given back. */
    public static final int RELEASED = 3;

    private ConnectionState() {
    }
}
