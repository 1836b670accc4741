package io.iocp4j.internal.connection;

import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;

import java.util.ArrayDeque;

/**
 * Where a connection lives: the port that owns it and its socket there, its places in that port's idle sweeper and
 * load meter, the load measured there, and its moves from one port to another.
 *
 * <p>A move: the receive in flight is asked to end; once it has, no new write starts, and once the write in flight
 * (if any) is done the socket is handed over; the new port receives again and writes what was queued meanwhile, in
 * order. Bytes received before the hand-over are handled here first, so nothing is lost, repeated or reordered in
 * either direction. (On NIO.2, which cannot cancel a read, the move waits for the peer's next bytes.) The
 * connection says when it may move and how its sides hold still for it.
 *
 * <p>Port thread only, except {@link #port()}, {@link #portIndex()}, {@link #runOnPort} and the racy reads of the
 * load and indexes.
 */
abstract sealed class PortResident extends ConnectionRecord permits RealConnection {
    final ConnectionHost host;
    /**
     * The port this connection is on. It changes only when the connection moves, written by the port it leaves
     * after everything of the move is handed over; a task that finds itself on another thread passes itself on
     * ({@link #onOwnPort}).
     */
    private volatile CompletionPort port;
    private volatile int portIndex;
    /** Null while the connection is on its way to another port. Port thread only. */
    private TransportSocket socket;
    /** Tasks that reached the new port before the connection arrived there; that port's thread only. */
    private ArrayDeque<Runnable> awaitingArrival;
    /** The port this connection is moving to, or -1. */
    private int moveTarget = -1;
    /** This connection's place in its port's load meter; -1 when not measured. */
    private int meterIndex = -1;
    /** This connection's place in its port's idle sweeper; -1 when not swept. */
    private int sweepIndex = -1;
    /** What the load meter saw of this connection's activity last, and its decaying average load. */
    private long activitySeen;
    private long load;

    PortResident(long id, ConnectionHost host, int portIndex, TransportSocket socket) {
        super(id, socket, host.traffic());
        this.host = host;
        this.portIndex = portIndex;
        this.port = host.port(portIndex);
        this.socket = socket;
    }

    public int portIndex() {
        return portIndex;
    }

    public CompletionPort port() {
        return port;
    }

    /** Port thread: the socket, or null while the connection moves to another port. */
    public TransportSocket socket() {
        return socket;
    }

    /** Any thread: true on the thread of the port the connection is on. */
    public boolean inPortThread() {
        return port.inPortThread();
    }

    /** Any thread: {@code task} runs on the port, where it starts with {@link #onOwnPort}. */
    public void executeOnPort(Runnable task) {
        port.execute(task);
    }

    /**
     * True on the thread of the port this connection is on, with its socket there. Otherwise {@code task} is
     * passed on to that port, or (on that port, before a move in progress has arrived) kept for the arrival to
     * run, and false is returned: every task posted for a connection starts with this, since the connection may
     * have moved after the task was posted.
     */
    public boolean onOwnPort(Runnable task) {
        CompletionPort current = port;
        if (!current.inPortThread()) {
            current.execute(task);
            return false;
        }
        if (socket == null) {
            // Here, but the connection has not arrived yet: its arrival runs the task.
            if (awaitingArrival == null) {
                awaitingArrival = new ArrayDeque<>(2);
            }
            awaitingArrival.add(task);
            return false;
        }
        return true;
    }

    /** Any thread: runs {@code task} on this connection's port thread, following the connection if it moves. */
    public void runOnPort(Runnable task) {
        port.execute(new Runnable() {
            @Override
            public void run() {
                if (onOwnPort(this)) {
                    task.run();
                }
            }
        });
    }

    public int meterIndex() {
        return meterIndex;
    }

    public void meterIndex(int index) {
        meterIndex = index;
    }

    public int sweepIndex() {
        return sweepIndex;
    }

    public void sweepIndex(int index) {
        sweepIndex = index;
    }

    /** Port thread: nothing moved since the last load sample, which saw {@code activity} too. */
    final boolean quietSince(long activity) {
        return activity == activitySeen;
    }

    /**
     * Port thread, each load sample: the activity since the last sample folded into a decaying average, in units
     * per second. Returns the new load.
     */
    final long foldLoad(long activity, long intervalNanos) {
        long delta = activity - activitySeen;
        activitySeen = activity;
        long rate = (long) (delta * (1_000_000_000.0 / intervalNanos));
        // Half the old average, half the new rate: a burst counts at once and fades within a few samples.
        load = (load + rate) >> 1;
        return load;
    }

    /** The decaying average of this connection's load, as the last sample left it. Racy off the port thread. */
    public long load() {
        return load;
    }

    // ---- moving to another port ----

    /** Whether the connection may begin a move now: it is open and under way, with nothing that pins it here. */
    abstract boolean mayMove();

    /** The receiving side stops taking new receives; the one in flight is asked to end. */
    abstract void holdReceivingForMove();

    /** Whether both sides are still: no receive in flight, and (holding new writes) no write in flight. */
    abstract boolean stillForMove();

    /** The close began: the socket stays where it is and ends there. */
    abstract boolean closing();

    /** Whether the connection had started before this move (one placed at accept starts on its new port). */
    abstract boolean started();

    /** On the new port, with the socket adopted: the connection goes on, or (not started yet) starts. */
    abstract void arrived();

    /**
     * Starts moving this connection to port {@code target}.
     *
     * @return false when the connection cannot move now: it is not open, already moving or already there, or in
     *         the middle of a file transfer
     */
    public boolean moveTo(int target) {
        if (target == portIndex || moveTarget >= 0 || socket == null || !mayMove()) {
            return false;
        }
        moveTarget = target;
        holdReceivingForMove();
        finishMoveWhenStill();
        return true;
    }

    /** Port thread, for a connection just accepted and not started: it starts on port {@code target} instead. */
    public void startOn(int target) {
        handOver(target);
    }

    /** True while a move has begun here and the socket has not been handed over yet. */
    public boolean moving() {
        return moveTarget >= 0;
    }

    /** After each completion while a move is under way: hands the socket over once both sides are still. */
    final void finishMoveWhenStill() {
        if (closing()) {
            moveTarget = -1;
            return;
        }
        // Writes go on while a receive is in flight: a transport that cannot cancel a receive (NIO.2) ends it only
        // when the peer sends something, and a connection that only writes must not stall until then.
        if (!stillForMove()) {
            return;
        }
        int to = moveTarget;
        moveTarget = -1;
        handOver(to);
    }

    private void handOver(int to) {
        RealConnection self = (RealConnection) this;
        SocketHandoff handoff = socket.handOff();
        socket = null;
        host.leftPort(self, portIndex, to, started());
        CompletionPort next = host.port(to);
        portIndex = to;
        // From here the new port's thread owns the connection (a task that reaches it before the arrival waits
        // for it, see onOwnPort), and sends made on that thread go to the plain queue, in order.
        port = next;
        next.execute(() -> arrive(self, to, next, handoff));
    }

    /** The new port's thread: the socket is adopted and the connection goes on where it stopped. */
    private void arrive(RealConnection self, int index, CompletionPort next, SocketHandoff handoff) {
        socket = next.adopt(handoff);
        host.arrived(self, index);
        arrived();
        Runnable waiting;
        while (awaitingArrival != null && (waiting = awaitingArrival.poll()) != null) {
            waiting.run();
        }
        awaitingArrival = null;
    }

    /** Where the connection is and whether it is between ports, for a report of one that would not end. */
    String describeResidence() {
        return "on port " + portIndex + (socket == null ? ", between ports" : "")
                + (moveTarget >= 0 ? ", moving to port " + moveTarget : "");
    }
}
