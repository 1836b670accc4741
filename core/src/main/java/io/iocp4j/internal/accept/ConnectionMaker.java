package io.iocp4j.internal.accept;

import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.TransportSocket;

/** What an accepted socket becomes once it is let in: the engine makes it a connection, places and starts it. */
public interface ConnectionMaker {
    /**
     * Port thread: a connection for {@code socket} in the table, not yet started; null when no slot is free (the
     * socket is then closed). {@code site}: where it was opened, for leak reports, or null.
     */
    RealConnection register(int portIndex, TransportSocket socket, Endpoint endpoint, Throwable site);

    /** The port a socket accepted on port {@code accepting} should live on. */
    int placeAccepted(int accepting);

    /** The connection's port thread: it begins. */
    void start(RealConnection connection);
}
