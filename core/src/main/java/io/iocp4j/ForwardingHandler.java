package io.iocp4j;

import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * A handler that passes every call to another: the base of handlers that add something to some calls (count them,
 * drop connections, decide on files) and leave the rest to the handler they wrap.
 */
public abstract class ForwardingHandler implements Handler {
    private final Handler inner;

    protected ForwardingHandler(Handler inner) {
        if (inner == null) {
            throw new IllegalArgumentException("inner=null");
        }
        this.inner = inner;
    }

    /** The handler every call not overridden goes to. */
    protected Handler inner() {
        return inner;
    }

    @Override
    public void onConnect(Connection connection) {
        inner.onConnect(connection);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        inner.onPacket(connection, packet);
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        inner.onFrameError(connection, error);
    }

    @Override
    public void onWritable(Connection connection) {
        inner.onWritable(connection);
    }

    @Override
    public void onShutdown(Connection connection) {
        inner.onShutdown(connection);
    }

    @Override
    public void onOverLimit(Connection connection) {
        inner.onOverLimit(connection);
    }

    @Override
    public void onIdleTimeout(Connection connection) {
        inner.onIdleTimeout(connection);
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        inner.onDisconnect(connection, reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        inner.onError(connection, error);
    }
}
