package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * How a connection's packets and events reach its handler: on the port thread itself ({@link PortDelivery}) or as
 * jobs on the worker pool ({@link PoolDelivery}). Every method but the reply ones is called on the port thread.
 */
interface Delivery {
    /** {@link #holdReply} outcomes: send it now; it is kept for its turn; refuse it (the job asked to close). */
    int SEND_NOW = 0;
    int HELD = 1;
    int REFUSED = 2;

    /**
     * Hands over one packet, copying it if it must outlive the call. False when there is no room for it now (too
     * many jobs, the pool's budget spent, or too many reply bytes queued): the caller keeps the packet, stops
     * reading and waits for {@link RealConnection#resumeReceiving()}.
     */
    boolean offer(ByteBuffer packet);

    /**
     * Whether every packet and event handed over has been handled and its replies queued. When it turns true after
     * being false, the port thread hears {@link RealConnection#resumeReceiving()}.
     */
    boolean idle();

    /** Whether a connection whose reading paused has room enough to take packets again. */
    boolean canResume();

    /** Reading has paused: arranges for {@link RealConnection#resumeReceiving()} once there may be room. */
    void awaitRoom();

    /** The peer broke the framing; no packet follows. */
    void frameError(FrameError error);

    /** The peer shut down its output: once what it sent is handled, the connection drains and closes. */
    void peerClosed();

    /** Graceful shutdown: the handler hears {@code onShutdown}, then the connection drains and closes. */
    void shutdown();

    /** The send queue fell under the low watermark after being over the high one. */
    void writableAgain();

    /**
     * Any thread: keeps a reply the handler sends while handling a packet, when it must wait for the replies to
     * earlier packets ({@link #HELD}); {@link #SEND_NOW} when it can go to the send queue at once; {@link #REFUSED}
     * after the same handler call asked to close once its replies are sent.
     */
    int holdReply(IoBuffer reply);

    /** Any thread: as {@link #holdReply}, for a close after the replies; true when it will happen in turn. */
    boolean holdClose(CloseReason reason);

    /** Any thread: reply bytes held back for earlier packets' replies. */
    long heldBytes();
}
