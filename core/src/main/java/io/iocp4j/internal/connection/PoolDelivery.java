package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;
import io.iocp4j.job.Ordering;
import io.iocp4j.job.ReorderWindow;
import io.iocp4j.job.SerialQueue;
import io.iocp4j.job.WorkerPool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Handlers on the worker pool. Each packet is copied out of the receive buffer (which goes back to the transport
 * when the completion ends) into a job numbered in arrival order. By the connection's ordering, its jobs run
 * through a {@link SerialQueue} (one at a time) or straight on the pool (in parallel), and are released in number
 * order through a {@link ReorderWindow}: only then do held replies go to the send queue and a pending close
 * happen.
 *
 * <p>Lifetime: while any job of the connection is pending, the connection holds one reference for them all, taken
 * on the port thread when the first job is submitted and dropped there once the last has been released. So
 * {@code onDisconnect} always comes after the last handler call.
 *
 * <p>Back-pressure: a packet is refused while the connection has {@code maxPendingJobs} packets pending, while
 * the pool's budget is spent, or while its send queue is over the high watermark. Reading then pauses until
 * half the packets are done, a quarter of the budget is free, and the connection is writable again.
 */
final class PoolDelivery extends Delivery {
    /** Jobs a serial queue runs per turn before other connections' queues get the worker. */
    private static final int SERIAL_BATCH = 32;
    /** The job a worker is running, so that a send made by its handler can be told from any other send. */
    private static final ThreadLocal<Job> RUNNING = new ThreadLocal<>();
    private static final VarHandle PENDING;
    private static final VarHandle PACKETS;
    private static final VarHandle HELD_BYTES;
    private static final VarHandle PROGRESS_POSTED;
    private static final VarHandle WAITING_FOR_ROOM;
    private static final VarHandle WRITABLE_QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(PoolDelivery.class, "pending", int.class);
            PACKETS = lookup.findVarHandle(PoolDelivery.class, "packets", int.class);
            HELD_BYTES = lookup.findVarHandle(PoolDelivery.class, "heldBytes", long.class);
            PROGRESS_POSTED = lookup.findVarHandle(PoolDelivery.class, "progressPosted", int.class);
            WAITING_FOR_ROOM = lookup.findVarHandle(PoolDelivery.class, "waitingForRoom", int.class);
            WRITABLE_QUEUED = lookup.findVarHandle(PoolDelivery.class, "writableQueued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WorkerPool pool;
    private final BufferPool buffers;
    private final Ordering ordering;
    private final int maxPackets;
    private final int resumeMark;
    private final SerialQueue serial;
    private final Runnable progress = this::onProgress;
    private final Runnable roomCame = this::onRoom;

    /** Jobs submitted and not yet released. Raised on the port thread, lowered by workers. */
    private volatile int pending;
    /** Of those, the packets. */
    private volatile int packets;
    private volatile long heldBytes;
    @SuppressWarnings("unused")
    private volatile int progressPosted;
    @SuppressWarnings("unused")
    private volatile int waitingForRoom;
    @SuppressWarnings("unused")
    private volatile int writableQueued;

    // Written on the port thread; the window is made with the first parallel job and reaches workers with it.
    private ReorderWindow<Job> window;
    private long nextSequence;
    private boolean holdsReference;

    PoolDelivery(DeliveryContext connection, Handler handler, Traffic traffic, WorkerPool pool, BufferPool buffers,
                 FlowSettings settings) {
        super(connection, handler, traffic);
        this.pool = pool;
        this.buffers = buffers;
        this.ordering = settings.ordering();
        this.maxPackets = settings.maxPendingJobs();
        this.resumeMark = maxPackets / 2;
        this.serial = ordering == Ordering.PER_CONNECTION ? new SerialQueue(pool, SERIAL_BATCH) : null;
    }

    // ---- port thread ----

    @Override
    public boolean offer(ByteBuffer packet) {
        if (replies.holdsBackReading() || packets >= maxPackets || !pool.tryReserve()) {
            return false;
        }
        int length = packet.remaining();
        IoBuffer copy = buffers.lease(length);
        copy.byteBuffer().put(0, packet, packet.position(), length).limit(length);
        submit(new Job(this, Job.PACKET, copy, null, null));
        return true;
    }

    @Override
    public boolean idle() {
        // The release that brings it to 0 posts progress, which resumes reading.
        return pending == 0;
    }

    @Override
    public boolean canResume() {
        return !replies.holdsBackReading() && packets <= resumeMark && pool.hasRoom();
    }

    @Override
    public void awaitRoom() {
        if (!pool.hasRoom() && WAITING_FOR_ROOM.compareAndSet(this, 0, 1)) {
            pool.whenRoom(roomCame);
        }
        // A worker that finished a job before reading was marked paused did not know to wake the port.
        if (canResume()) {
            postProgress();
        }
    }

    @Override
    public void frameError(FrameError error) {
        submit(new Job(this, Job.FRAME_ERROR, null, error, null));
    }

    @Override
    public void peerClosed() {
        submit(new Job(this, Job.PEER_CLOSED, null, null, CloseReason.PEER_CLOSED));
    }

    @Override
    public void shutdown() {
        if (!connection.isOpen()) {
            connection.drainThenClose(CloseReason.SHUTDOWN);
            return;
        }
        // Packets not yet taken are dropped; those taken are handled before onShutdown, by the ordering.
        reading.stop();
        submit(new Job(this, Job.SHUTDOWN, null, null, CloseReason.SHUTDOWN));
    }

    @Override
    public void writableAgain() {
        if (WRITABLE_QUEUED.compareAndSet(this, 0, 1)) {
            submit(new Job(this, Job.WRITABLE, null, null, null));
        }
    }

    private void submit(Job job) {
        job.sequence = nextSequence++;
        if (job.kind == Job.PACKET) {
            PACKETS.getAndAdd(this, 1);
        }
        PENDING.getAndAdd(this, 1);
        if (!holdsReference) {
            holdsReference = true;
            connection.acquire();
        }
        if (serial != null) {
            serial.execute(job);
            return;
        }
        if (window == null) {
            window = new ReorderWindow<>(maxPackets + Job.EVENT_KINDS, this::release);
        }
        pool.execute(job);
    }

    /** Resumes reading if it paused and there is room, and drops the jobs' reference once none is pending. */
    private void onProgress() {
        if (!connection.onOwnPort(progress)) {
            return;
        }
        // Cleared before looking, so a job released from now on posts again.
        progressPosted = 0;
        reading.resume();
        if (holdsReference && pending == 0) {
            holdsReference = false;
            connection.dropReference();
        }
    }

    // ---- workers ----

    void run(Job job) {
        if (job.kind == Job.WRITABLE) {
            writableQueued = 0;
        }
        boolean holding = ordering == Ordering.ORDERED_REPLIES;
        if (holding) {
            RUNNING.set(job);
        }
        try {
            // Once the connection is closing, what is left is released unhandled, as on the port thread.
            if (job.kind != Job.PEER_CLOSED && connection.isOpen()) {
                call(job.kind, job.kind == Job.PACKET ? job.packet.byteBuffer() : job.error);
            }
        } finally {
            if (holding) {
                RUNNING.set(null);
            }
            if (job.packet != null) {
                job.packet.release();
            }
            if (serial != null) {
                release(job);
            } else {
                window.complete(job.sequence, job);
            }
        }
    }

    /** The job's turn has come: every job before it has been released. */
    private void release(Job job) {
        for (IoBuffer reply : job.takeReplies()) {
            HELD_BYTES.getAndAdd(this, (long) -reply.byteBuffer().remaining());
            if (connection.isOpen()) {
                replies.enqueueReleased(reply);
            } else {
                reply.release();
            }
        }
        if (job.closeAfter != null) {
            connection.drainThenClose(job.closeAfter);
        }
        if (job.kind == Job.PACKET) {
            PACKETS.getAndAdd(this, -1);
            pool.release();
        }
        int left = (int) PENDING.getAndAdd(this, -1) - 1;
        if (left == 0 || (reading.isPaused() && packets <= resumeMark)) {
            postProgress();
        }
    }

    private void onRoom() {
        waitingForRoom = 0;
        postProgress();
    }

    private void postProgress() {
        if (PROGRESS_POSTED.compareAndSet(this, 0, 1)) {
            connection.executeOnPort(progress);
        }
    }

    // ---- replies, any thread ----

    @Override
    public int holdReply(IoBuffer reply) {
        Job job = runningHere();
        if (job == null) {
            return SEND_NOW;
        }
        if (job.closeRequested) {
            return REFUSED;
        }
        job.hold(reply);
        HELD_BYTES.getAndAdd(this, (long) reply.byteBuffer().remaining());
        return HELD;
    }

    @Override
    public boolean holdClose(CloseReason reason) {
        Job job = runningHere();
        if (job == null) {
            return false;
        }
        if (job.closeAfter == null) {
            job.closeAfter = reason;
        }
        // As after closeAfterFlush on the port thread, the connection takes no more sends from this handler.
        job.closeRequested = true;
        return true;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    /** The job of this connection the calling thread is running, when its replies must wait their turn. */
    private Job runningHere() {
        if (ordering != Ordering.ORDERED_REPLIES) {
            return null;
        }
        Job job = RUNNING.get();
        return job != null && job.owner == this ? job : null;
    }
}
