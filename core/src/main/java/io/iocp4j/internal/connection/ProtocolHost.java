package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.SendableFile;

import java.io.IOException;
import java.nio.file.Path;

/** What the protocol above framing reaches of its connection: see {@link ProtocolContext}. */
final class ProtocolHost implements ProtocolContext {
    private final RealConnection connection;
    private final Inbound inbound;
    private final Outbound outbound;

    ProtocolHost(RealConnection connection, Inbound inbound, Outbound outbound) {
        this.connection = connection;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public BufferPool pool() {
        return connection.host.pool();
    }

    @Override
    public boolean inPortThread() {
        return connection.inPortThread();
    }

    @Override
    public void runOnPort(Runnable task) {
        connection.runOnPort(task);
    }

    @Override
    public void acquire() {
        connection.acquire();
    }

    @Override
    public void dropReference() {
        connection.dropReference();
    }

    @Override
    public void closeWith(CloseReason reason) {
        connection.closeWith(reason);
    }

    @Override
    public SendableFile openSendable(Path path, boolean followLinks) throws IOException {
        return connection.port().openSendable(path, followLinks);
    }

    @Override
    public void ensureSendsPassUnchanged() {
        if (!sendsPassUnchanged()) {
            throw new UnsupportedOperationException("a file goes from disk to socket as it is, so it cannot pass "
                    + "a byte stage that changes what is sent: " + connection);
        }
    }

    @Override
    public boolean sendsPassUnchanged() {
        StageChain stages = connection.stages();
        return stages == null || !stages.seesOutbound();
    }

    @Override
    public void divert(long count, RawSink sink) {
        inbound.divert(count, sink);
    }

    @Override
    public void rawStreamSettled() {
        inbound.rawStreamSettled();
    }

    @Override
    public void closeGate() {
        outbound.closeGate();
    }

    @Override
    public void openGate() {
        outbound.openGate();
    }

    @Override
    public void stream(RawSource source) {
        outbound.stream(source);
    }
}
