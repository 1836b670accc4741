package io.iocp4j.cli;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/** A handler that passes every call to another; subclasses override the calls they add something to. */
abstract class HandlerDecorator implements Handler {
    private final Handler inner;

    HandlerDecorator(Handler inner) {
        this.inner = inner;
    }

    Handler inner() {
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
