package io.iocp4j.internal.engine;

import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.TransportProvider;
import io.iocp4j.spi.TransportSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An engine's listening sockets: for each address, one listener per port where the transport lets several sockets
 * share an address, else one on the first port. Accepted sockets go to the engine's {@link Acceptor} on the port
 * thread that accepted them. Thread-safe.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    /** Where accepted sockets go, on the accepting port's thread. */
    @FunctionalInterface
    interface Acceptor {
        void accept(int portIndex, TransportSocket socket, Endpoint endpoint);
    }

    private final TransportProvider provider;
    private final CompletionPort[] ports;
    private final Acceptor acceptor;
    /** True once the engine is shutting down: accept failures are expected then, not worth a warning. */
    private final BooleanSupplier closing;
    private final List<Bound> bound = new ArrayList<>();

    Listeners(TransportProvider provider, CompletionPort[] ports, Acceptor acceptor, BooleanSupplier closing) {
        this.provider = provider;
        this.ports = ports;
        this.acceptor = acceptor;
        this.closing = closing;
    }

    /**
     * Listens on {@code address} for {@code endpoint}; returns the bound address (the real port when 0 was asked).
     *
     * @param reusePort true to share the address with other servers (processes) that set SO_REUSEPORT too: the
     *                  address is then not checked for being free, since sharing it is the point
     * @throws IllegalStateException when {@code reusePort} is asked of a transport that cannot share ports here
     */
    InetSocketAddress listen(InetSocketAddress address, int backlog, boolean reusePort, Endpoint endpoint)
            throws IOException {
        if (reusePort && !provider.supportsReusePort()) {
            throw new IllegalStateException("reusePort: the " + provider.name() + " transport cannot share a port "
                    + "on this platform (no SO_REUSEPORT)");
        }
        int listening = provider.listensOnEveryPort() ? ports.length : 1;
        try {
            if (listening > 1 && address.getPort() != 0 && !reusePort) {
                ensureAddressFree(address);
            }
            InetSocketAddress local = address;
            for (int i = 0; i < listening; i++) {
                Bound state = new Bound(i, endpoint);
                state.listener = ports[i].listen(local, backlog, reusePort || listening > 1, state);
                synchronized (bound) {
                    bound.add(state);
                }
                local = state.listener.localAddress();
            }
            return local;
        } catch (IOException e) {
            throw SocketFailures.listening(address, e);
        }
    }

    /**
     * Sockets that all set SO_REUSEPORT share an address without complaint, so a second server started on a busy
     * port would silently split its traffic with the first. One exclusive bind first finds such a port in use.
     * (Another process could still take the port between this probe and the real binds; it would need
     * SO_REUSEPORT itself.)
     */
    private static void ensureAddressFree(InetSocketAddress address) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address);
        }
    }

    /** Closes every listener and waits, at most {@code wait} for each, until it has reported its last accept. */
    void closeAll(Duration wait) throws InterruptedException {
        List<Bound> open;
        synchronized (bound) {
            open = List.copyOf(bound);
        }
        for (Bound state : open) {
            state.listener.close();
        }
        for (Bound state : open) {
            if (!state.closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "listener " + state.listener.localAddress()
                        + " did not report its last accept");
            }
        }
    }

    /** One listener on one port. */
    private final class Bound implements AcceptHandler {
        private final int portIndex;
        private final Endpoint endpoint;
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile Listener listener;

        Bound(int portIndex, Endpoint endpoint) {
            this.portIndex = portIndex;
            this.endpoint = endpoint;
        }

        @Override
        public void onAccept(TransportSocket socket) {
            acceptor.accept(portIndex, socket, endpoint);
        }

        @Override
        public void onAcceptFailed(IOException error, boolean willRetry) {
            if (!closing.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "accept failed on " + listener.localAddress()
                        + (willRetry ? "; still accepting" : ""), error);
            }
        }

        @Override
        public void onListenerClosed() {
            closed.countDown();
        }
    }
}
