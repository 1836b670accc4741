package io.iocp4j.spi;

import java.io.IOException;

/** Receives the outcome of a connect, on the port thread. */
public interface ConnectHandler {
    void onConnected(TransportSocket socket);

    void onConnectFailed(IOException error);
}
