package io.iocp4j.stage;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * What a {@link ByteStage} reaches of its connection: the stages beside it, the buffers, the budgets, and the
 * connection's end. One per stage and connection; every method is for the connection's I/O thread, where the stage
 * is called, unless it says otherwise.
 */
public interface StageContext {
    /** The connection this stage serves. */
    Connection connection();

    /** Where the stage takes buffers from. */
    BufferPool pool();

    /** What bytes a stage keeps between calls are charged to: the server's partial-frame budget. */
    Accumulator.Allowance partialBudget();

    /** Passes bytes to the next stage, or to the codec after the last one; valid during that call only. */
    void passInbound(ByteBuffer bytes);

    /**
     * Passes bytes towards the peer: to the stage before this one, or to the socket's send queue; one reference of
     * {@code bytes} goes with them. A stage may pass bytes out while handling bytes in (a handshake's answer).
     */
    void passOutbound(IoBuffer bytes);

    /**
     * Takes this stage out of the pipeline: its {@link ByteStage#release()} runs now, and bytes go past it from the
     * next call on. Bytes it passes on in the call it removes itself in still go on, in order.
     */
    void remove();

    /**
     * From {@link ByteStage#onOpen} only: the handler does not hear {@code onConnect} until {@link #releaseConnect()}
     * is called. No bytes may be passed inbound meanwhile.
     */
    void holdConnect();

    /**
     * While {@code onConnect} is held: the connection speaks for {@code client} (what a load balancer's PROXY header
     * says). {@link Connection#remoteAddress()} becomes {@code client}, and the server's accept filter, bans and
     * per-address limit judge it as such now. False when they refuse it: the connection is then closed
     * ({@code BANNED}, or {@code OVER_LIMIT} for the per-address limit) and its handler never hears of it.
     */
    boolean peerIs(InetSocketAddress client);

    /** The handler hears {@code onConnect} now (once), after a {@link #holdConnect()}. */
    void releaseConnect();

    /**
     * Ends the connection with {@code reason}, which its handler hears in {@code onDisconnect}; {@code cause}, when
     * not null, goes to the handler's {@code onError} first. Bytes already passed out (a TLS alert, a refusal) are
     * sent before the socket closes, within the write timeout. Any thread.
     */
    void close(CloseReason reason, Throwable cause);

    /**
     * Runs {@code task} off the I/O thread (work that would block it: a TLS handshake's delegated task), then
     * {@code then} on the connection's I/O thread, unless the connection has closed meanwhile. The connection is
     * not released while the task runs.
     */
    void runBlocking(Runnable task, Runnable then);

    /**
     * Runs {@code task} on the connection's I/O thread after {@code delay}, unless the connection has closed by
     * then; coarse, for deadlines such as a handshake timeout. Returns what cancels it.
     */
    Runnable schedule(Duration delay, Runnable task);
}
