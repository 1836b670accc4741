package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Handler;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;
import io.iocp4j.internal.events.FrameErrorEvent;
import io.iocp4j.internal.events.HandlerFailedEvent;

import java.nio.ByteBuffer;

/**
 * How a connection's packets and events reach its handler: on the port thread itself ({@link PortDelivery}) or as
 * jobs on the worker pool ({@link PoolDelivery}). Every method but the reply ones is called on the port thread.
 *
 * <p>Every call into the handler goes through here, under one rule: the I/O loop outlives user code. A handler that
 * throws is reported to its own {@code onError} and closes its connection ({@link CloseReason#HANDLER_FAILED}),
 * and no other; an {@link Error} of the virtual machine is rethrown after that.
 */
abstract class Delivery {
    /** {@link #holdReply} outcomes: send it now; it is kept for its turn; refuse it (the job asked to close). */
    static final int SEND_NOW = 0;
    static final int HELD = 1;
    static final int REFUSED = 2;

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    final DeliveryContext connection;
    private final Handler handler;
    private final Traffic traffic;
    /** The receiving side, which pauses and resumes by what the delivery has room for; set once it is made. */
    Inbound reading;
    /** The sending side: its queue decides whether reading may go on, and takes released replies. */
    Outbound replies;
    /**
     * The handler heard onConnect (or onOverLimit), so it will hear onDisconnect. A connection a stage ended before
     * letting its handler hear of it (a PROXY header refused) is never announced at either end. Port thread.
     */
    private boolean announced;

    Delivery(DeliveryContext connection, Handler handler, Traffic traffic) {
        this.connection = connection;
        this.handler = handler;
        this.traffic = traffic;
    }

    /** The connection's two sides, made after the delivery they hand packets to and take replies from. */
    final void attach(Inbound reading, Outbound replies) {
        this.reading = reading;
        this.replies = replies;
    }

    /**
     * Hands over one packet, copying it if it must outlive the call. False when there is no room for it now (too
     * many jobs, the pool's budget spent, or too many reply bytes queued): the caller keeps the packet, stops
     * reading and waits for {@link Inbound#resume()}.
     */
    abstract boolean offer(ByteBuffer packet);

    /**
     * Whether every packet and event handed over has been handled and its replies queued. When it turns true after
     * being false, the port thread hears {@link Inbound#resume()}.
     */
    abstract boolean idle();

    /** Whether a connection whose reading paused has room enough to take packets again. */
    abstract boolean canResume();

    /** Reading has paused: arranges for {@link Inbound#resume()} once there may be room. */
    abstract void awaitRoom();

    /** The peer broke the framing; no packet follows. */
    abstract void frameError(FrameError error);

    /** The peer shut down its output: once what it sent is handled, the connection drains and closes. */
    abstract void peerClosed();

    /** Graceful shutdown: the handler hears {@code onShutdown}, then the connection drains and closes. */
    abstract void shutdown();

    /** The send queue fell under the low watermark after being over the high one. */
    abstract void writableAgain();

    /**
     * Any thread: keeps a reply the handler sends while handling a packet, when it must wait for the replies to
     * earlier packets ({@link #HELD}); {@link #SEND_NOW} when it can go to the send queue at once; {@link #REFUSED}
     * after the same handler call asked to close once its replies are sent.
     */
    abstract int holdReply(IoBuffer reply);

    /** Any thread: as {@link #holdReply}, for a close after the replies; true when it will happen in turn. */
    abstract boolean holdClose(CloseReason reason);

    /** Any thread: reply bytes held back for earlier packets' replies. */
    abstract long heldBytes();

    // ---- the handler's calls ----

    /** Any thread: the handler hears a packet or an event ({@link Job}'s kinds). */
    final void call(int kind, Object argument) {
        try {
            switch (kind) {
                case Job.PACKET -> handler.onPacket(connection, (ByteBuffer) argument);
                case Job.FRAME_ERROR -> {
                    FrameErrorEvent.emit(connection.id(), (FrameError) argument);
                    handler.onFrameError(connection, (FrameError) argument);
                }
                case Job.WRITABLE -> handler.onWritable(connection);
                case Job.SHUTDOWN -> handler.onShutdown(connection);
                default -> throw new IllegalStateException("no handler call for kind=" + kind);
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Port thread. */
    final void connected() {
        announced = true;
        try {
            handler.onConnect(connection);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Port thread: a connection over the server's limit, for the handler's last word. */
    final void overLimit() {
        announced = true;
        try {
            handler.onOverLimit(connection);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Port thread: the idle timeout passed, for the handler's last word. */
    final void idleTimedOut() {
        try {
            handler.onIdleTimeout(connection);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Port thread, once: the connection was released, and heard of if it was announced. Nothing is left to close. */
    final void disconnected(CloseReason reason) {
        if (!announced) {
            return;
        }
        try {
            handler.onDisconnect(connection, reason);
        } catch (Throwable t) {
            reportError(t);
        }
    }

    private void failed(Throwable error) {
        HandlerFailedEvent.emit(connection.id(), error);
        reportError(error);
        connection.closeWith(CloseReason.HANDLER_FAILED);
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    /** Any thread: {@code error} goes to the handler's {@code onError}, and is counted. */
    final void reportError(Throwable error) {
        traffic.handlerFailed();
        try {
            handler.onError(connection, error);
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "onError failed on " + connection, again);
        }
    }
}
