package io.iocp4j.spi;

import java.io.IOException;

/** Receives what a listener accepts, on the listener's port thread. */
public interface AcceptHandler {
    void onAccept(TransportSocket socket);

    /** Accepting failed; {@code willRetry} says whether the listener keeps accepting. */
    void onAcceptFailed(IOException error, boolean willRetry);

    /** The listener is closed and its last accept has completed: nothing more will be accepted. Called once. */
    void onListenerClosed();
}
