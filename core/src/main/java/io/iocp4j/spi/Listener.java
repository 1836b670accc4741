package io.iocp4j.spi;

import java.net.InetSocketAddress;

/** A listening socket on a port. */
public interface Listener {
    InetSocketAddress localAddress();

    /**
     * Stops accepting and closes the socket; {@link AcceptHandler#onListenerClosed()} follows once the accept in
     * flight has completed. Idempotent, from any thread.
     */
    void close();
}
