package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing a connection's handler does on the worker pool: handle a packet, or hear an event in its turn between
 * packets. Jobs are numbered in arrival order. With ordered replies, what the handler sends while running a job is
 * kept in it until every earlier job of the connection has been released.
 */
final class Job implements Runnable {
    static final int PACKET = 0;
    static final int FRAME_ERROR = 1;
    static final int WRITABLE = 2;
    static final int SHUTDOWN = 3;
    static final int PEER_CLOSED = 4;
    /** Event jobs one connection may have pending beside its packets: each kind above at most once at a time. */
    static final int EVENT_KINDS = 4;

    final PoolDelivery owner;
    final int kind;
    /** A packet's bytes, copied out of the receive buffer; released once the handler has returned. */
    final IoBuffer packet;
    final FrameError error;
    /** Set on the port thread before the job is handed to the pool. */
    long sequence;
    /** What to close with once the job is released, after its replies. */
    CloseReason closeAfter;
    /** The handler asked to close after its replies: it may send nothing more. Worker running the job only. */
    boolean closeRequested;
    /** Replies held back, filled by the worker running the job; read by whoever releases it. */
    private List<IoBuffer> replies;

    Job(PoolDelivery owner, int kind, IoBuffer packet, FrameError error, CloseReason closeAfter) {
        this.owner = owner;
        this.kind = kind;
        this.packet = packet;
        this.error = error;
        this.closeAfter = closeAfter;
    }

    @Override
    public void run() {
        owner.run(this);
    }

    void hold(IoBuffer reply) {
        if (replies == null) {
            replies = new ArrayList<>(2);
        }
        replies.add(reply);
    }

    /** The replies held so far, in the order they were sent; empty afterwards. */
    List<IoBuffer> takeReplies() {
        List<IoBuffer> held = replies == null ? List.of() : replies;
        replies = null;
        return held;
    }

    @Override
    public String toString() {
        return "Job[sequence=" + sequence + ", kind=" + kind + "]";
    }
}
