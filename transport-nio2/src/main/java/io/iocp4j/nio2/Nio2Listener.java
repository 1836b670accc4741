package io.iocp4j.nio2;

import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.TimeUnit;

/**
 * A listening channel with one accept in flight at a time (NIO.2's rule), re-armed after each. When accepting
 * fails for lack of resources (too many open files), it pauses briefly instead of spinning.
 */
final class Nio2Listener implements Listener, CompletionHandler<AsynchronousSocketChannel, Void> {
    private static final long RETRY_PAUSE_MILLIS = 50;

    private final Nio2Port port;
    private final AsynchronousServerSocketChannel channel;
    private final AcceptHandler handler;
    private final InetSocketAddress localAddress;
    private volatile boolean closed;
    // Port thread only.
    private boolean acceptPending;
    private boolean closeReported;

    private Nio2Listener(Nio2Port port, AsynchronousServerSocketChannel channel, AcceptHandler handler)
            throws IOException {
        this.port = port;
        this.channel = channel;
        this.handler = handler;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    static Nio2Listener open(Nio2Port port, AsynchronousChannelGroup group, InetSocketAddress address, int backlog,
                             boolean reusePort, AcceptHandler handler) throws IOException {
        AsynchronousServerSocketChannel channel = AsynchronousServerSocketChannel.open(group);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, backlog);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Nio2Listener listener = new Nio2Listener(port, channel, handler);
        port.execute(listener::acceptNext);
        return listener;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // The accept in flight fails with it; that completion reports the close.
        }
        port.execute(this::reportClosedWhenIdle);
    }

    private void acceptNext() {
        if (closed) {
            reportClosedWhenIdle();
            return;
        }
        acceptPending = true;
        try {
            channel.accept(null, this);
        } catch (RuntimeException notStarted) {
            acceptPending = false;
            reportClosedWhenIdle();
        }
    }

    @Override
    public void completed(AsynchronousSocketChannel accepted, Void attachment) {
        port.enter();
        try {
            acceptPending = false;
            Nio2Socket socket = new Nio2Socket(port, accepted);
            if (closed) {
                socket.close(UserData.UNTRACKED);
            } else {
                configure(accepted);
                handler.onAccept(socket);
            }
            acceptNext();
        } finally {
            port.leave();
        }
    }

    @Override
    public void failed(Throwable failure, Void attachment) {
        port.enter();
        try {
            acceptPending = false;
            if (closed) {
                reportClosedWhenIdle();
                return;
            }
            handler.onAcceptFailed(Nio2Errors.asIOException(failure), true);
            port.schedule(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS), this::acceptNext);
        } finally {
            port.leave();
        }
    }

    private void reportClosedWhenIdle() {
        if (closed && !acceptPending && !closeReported) {
            closeReported = true;
            handler.onListenerClosed();
        }
    }

    private static void configure(AsynchronousSocketChannel accepted) {
        try {
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException ignored) {
            // A socket already reset: its first read reports it.
        }
    }
}
