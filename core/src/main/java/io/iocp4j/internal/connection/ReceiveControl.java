package io.iocp4j.internal.connection;

import io.iocp4j.spi.UserData;

/**
 * The one receive in flight on a connection's socket, and what holds reading back: a pause (the delivery has no
 * room, or a raw stream's sink has work to finish), a move to another port, the memory budget's warden, the peer's
 * end of stream, a stop. Its subclass {@link Inbound} takes what the receives bring.
 *
 * <p>Port thread only, except {@link #isPaused()}.
 */
abstract sealed class ReceiveControl permits Inbound {
    final ReceiveContext connection;
    /** Read by workers to decide whether finishing a job should wake the port. */
    volatile boolean paused;
    /** A receive is in flight: its last completion has not arrived. */
    boolean receiving;
    /** The connection is moving to another port: no receive starts until it has arrived. */
    boolean moving;
    /** The memory budget's warden holds this connection's reading while it holds the most of a spent budget. */
    boolean heldForBudget;
    boolean cancelRequested;
    /** The peer shut down its output: no receive is started again. */
    boolean endOfStream;
    /** Nothing more is delivered: the connection is closing or the framing broke. */
    boolean stopped;
    /** Reading paused until the sink of the raw stream that just ended has settled it. */
    boolean awaitingRawSink;

    ReceiveControl(ReceiveContext connection) {
        this.connection = connection;
    }

    String describe() {
        return "receiving " + receiving + (moving ? " (held for a move)" : "")
                + (heldForBudget ? " (held for the memory budget)" : "") + (paused ? ", paused" : "")
                + (awaitingRawSink ? " for the end of a raw stream" : "")
                + (stopped ? ", stopped" : "") + (endOfStream ? ", end of stream" : "")
                + (cancelRequested ? ", cancel requested" : "");
    }

    /** Any thread. */
    final boolean isPaused() {
        return paused;
    }

    /** Starts a receive unless one is in flight or reading should not go on. */
    final void arm() {
        if (receiving || moving || heldForBudget || paused || stopped || endOfStream || !connection.isOpen()) {
            return;
        }
        receiving = true;
        connection.acquire();
        connection.socket().receive(connection.userData(UserData.OP_RECEIVE));
    }

    /** A receive is in flight: its last completion has not arrived. */
    final boolean receiving() {
        return receiving;
    }

    /**
     * The connection is about to move: the receive in flight is asked to end (bytes already on their way are still
     * taken here, in order) and no new one starts.
     */
    final void holdForMove() {
        moving = true;
        cancelReceive();
    }

    /** On the new port: receiving goes on, unless it paused for another reason. */
    final void afterMove() {
        moving = false;
        arm();
    }

    /**
     * The memory budget's warden holds reading ({@code true}: the receive in flight is asked to end, none starts)
     * or lets it go on.
     */
    public final void holdForBudget(boolean hold) {
        heldForBudget = hold;
        if (hold) {
            cancelReceive();
        } else {
            arm();
        }
    }

    /** Reading is held by this side (a pause, a move, the budget), not waiting on the peer. */
    public final boolean heldBySelf() {
        return paused || moving || heldForBudget;
    }

    /** The receive in flight is asked to end: a multishot receive would otherwise go on delivering. */
    final void cancelReceive() {
        if (receiving && !cancelRequested) {
            cancelRequested = true;
            connection.socket().cancelReceive();
        }
    }

    /** A completion of the receive in flight arrived; true when it was the last one (nothing is in flight now). */
    final boolean completed(int flags) {
        // A multishot receive holds one reference for all its results; only its last one gives it back.
        boolean last = (flags & UserData.F_MORE) == 0;
        if (last) {
            receiving = false;
            cancelRequested = false;
        }
        return last;
    }
}
