package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.RejectReason;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.spi.ScheduledTask;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/** What the byte stages reach of their connection: its two sides, its lifetime, the engine's buffers and threads. */
final class StageHost implements StageChain.Host {
    private final RealConnection connection;
    private final ConnectionHost host;

    StageHost(RealConnection connection, ConnectionHost host) {
        this.connection = connection;
        this.host = host;
    }

    @Override
    public void inboundFromStages(ByteBuffer bytes) {
        connection.inbound().fromStages(bytes);
    }

    @Override
    public void outboundFromStages(IoBuffer bytes) {
        connection.outbound().fromStages(bytes);
    }

    @Override
    public void connectReleased() {
        connection.connectReleased();
    }

    @Override
    public void stageFailed(Throwable error) {
        connection.stageFailed(error);
    }

    @Override
    public BufferPool pool() {
        return host.pool();
    }

    @Override
    public MemoryBudget partialFrameBudget() {
        return host.partialFrameBudget();
    }

    @Override
    public Executor blockingTasks() {
        return host.blockingTasks();
    }

    @Override
    public void runOnPort(Runnable task) {
        connection.runOnPort(task);
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable task) {
        return connection.port().schedule(delayNanos, task);
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
    public boolean isOpen() {
        // A draining connection still passes bytes: a stage's last ones go out before the close.
        return connection.state() < ConnectionState.CLOSED;
    }

    @Override
    public boolean peerIs(InetSocketAddress client) {
        RejectReason refused = host.readmit(connection, client);
        if (refused != null) {
            connection.closeWith(refused == RejectReason.PER_ADDRESS_LIMIT ? CloseReason.OVER_LIMIT
                    : CloseReason.BANNED);
            return false;
        }
        connection.peerNamed(client);
        return true;
    }

    @Override
    public void close(CloseReason reason, Throwable cause) {
        if (cause != null) {
            connection.delivery().reportError(cause);
        }
        // What the stages passed out before (a TLS alert, a refusal) still goes out, then the socket closes.
        connection.drainThenClose(reason);
    }
}
