package io.iocp4j.internal.engine;

import io.iocp4j.Connection;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.ConnectHandler;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Connections a client opens: each connects from the port placement chooses, with a time limit if asked. */
final class Connector {
    private final Engine engine;
    private final CompletionPort[] ports;
    /** Whether to note where each connection was opened, for leak reports. */
    private final boolean trackSites;

    Connector(Engine engine, CompletionPort[] ports, boolean trackSites) {
        this.engine = engine;
        this.ports = ports;
        this.trackSites = trackSites;
    }

    /**
     * Connects to {@code remote}, failing with a {@link SocketTimeoutException} when the connect has not completed
     * within {@code timeoutNanos} (0: no limit). A connect that completes after that is closed at once.
     */
    CompletableFuture<Connection> connect(InetSocketAddress remote, Endpoint endpoint, long timeoutNanos) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (engine.isShutDown()) {
            result.completeExceptionally(new IllegalStateException("shut down"));
            return result;
        }
        int portIndex = engine.choosePort();
        // Taken on the caller's thread, so that a leaked connection names the code that opened it.
        Throwable site = trackSites ? new Throwable("connection to " + remote + " opened here") : null;
        ScheduledTask timeout = timeoutNanos <= 0 ? null : ports[portIndex].schedule(timeoutNanos,
                () -> result.completeExceptionally(new SocketTimeoutException("connect to " + remote
                        + " timed out after " + Duration.ofNanos(timeoutNanos).toMillis() + " ms")));
        ports[portIndex].connect(remote, new ConnectHandler() {
            @Override
            public void onConnected(TransportSocket socket) {
                if (timeout != null && !timeout.cancel()) {
                    // Too late: the caller was told it timed out. (The timer and this run on the same thread.)
                    socket.close(UserData.UNTRACKED);
                    return;
                }
                RealConnection connection = engine.adopt(portIndex, socket, endpoint, site);
                if (connection == null) {
                    result.completeExceptionally(new IOException("connection table full"));
                } else {
                    result.complete(connection);
                }
            }

            @Override
            public void onConnectFailed(IOException error) {
                if (timeout != null) {
                    timeout.cancel();
                }
                result.completeExceptionally(SocketFailures.connecting(remote, error));
            }
        });
        return result;
    }
}
