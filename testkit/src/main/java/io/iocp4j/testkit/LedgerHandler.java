package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A handler whose packet and connect behaviour a test supplies, recording every lifetime event in a ledger. */
public final class LedgerHandler implements Handler {
    private final LifetimeLedger ledger;
    private final BiConsumer<Connection, ByteBuffer> onPacket;
    private volatile Consumer<Connection> onConnect = connection -> { };
    private volatile BiConsumer<Connection, CloseReason> onDisconnect = (connection, reason) -> { };
    private volatile BiConsumer<Connection, FrameError> onFrameError = (connection, error) -> connection.close();
    private volatile Consumer<Connection> onShutdown = connection -> { };
    private volatile Consumer<Connection> onWritable = connection -> { };
    private volatile Consumer<Connection> onOverLimit = connection -> { };
    private volatile Consumer<Connection> onIdleTimeout = connection -> { };

    public LedgerHandler(LifetimeLedger ledger, BiConsumer<Connection, ByteBuffer> onPacket) {
        this.ledger = ledger;
        this.onPacket = onPacket;
    }

    /** Echoes every packet back. */
    public static LedgerHandler echo(LifetimeLedger ledger) {
        return new LedgerHandler(ledger, Connection::send);
    }

    public LedgerHandler whenConnected(Consumer<Connection> action) {
        this.onConnect = action;
        return this;
    }

    public LedgerHandler whenDisconnected(BiConsumer<Connection, CloseReason> action) {
        this.onDisconnect = action;
        return this;
    }

    public LedgerHandler whenFrameError(BiConsumer<Connection, FrameError> action) {
        this.onFrameError = action;
        return this;
    }

    public LedgerHandler whenShutdown(Consumer<Connection> action) {
        this.onShutdown = action;
        return this;
    }

    public LedgerHandler whenWritable(Consumer<Connection> action) {
        this.onWritable = action;
        return this;
    }

    public LedgerHandler whenOverLimit(Consumer<Connection> action) {
        this.onOverLimit = action;
        return this;
    }

    public LedgerHandler whenIdleTimeout(Consumer<Connection> action) {
        this.onIdleTimeout = action;
        return this;
    }

    @Override
    public void onOverLimit(Connection connection) {
        ledger.overLimit(connection);
        onOverLimit.accept(connection);
    }

    @Override
    public void onIdleTimeout(Connection connection) {
        onIdleTimeout.accept(connection);
    }

    @Override
    public void onWritable(Connection connection) {
        onWritable.accept(connection);
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        onFrameError.accept(connection, error);
    }

    @Override
    public void onShutdown(Connection connection) {
        onShutdown.accept(connection);
    }

    @Override
    public void onConnect(Connection connection) {
        ledger.connected(connection);
        onConnect.accept(connection);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        onPacket.accept(connection, packet);
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        ledger.disconnected(connection, reason);
        onDisconnect.accept(connection, reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        ledger.error(error);
    }
}
