package io.iocp4j.internal.connection;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.internal.memory.MemoryBudget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A connection's outgoing bytes: an inbox other threads add to, a plain queue for sends made on the port thread
 * itself (the common case: a handler replying), and the batch the port thread is writing. A
 * write that the socket took only in part leaves its rest at the head of the batch, so it goes out before
 * anything queued after it.
 *
 * <p>{@link #offer} and {@link #drainInbox} from any thread; everything else on the port thread. Sends from one
 * thread keep their order; sends from different threads have none between them to keep.
 *
 * <p>An idle connection holds little more than this object: the inbox, the plain queue and the batch arrays are
 * made when the first send needs them; the plain queue and the arrays go again when the connection has been quiet
 * for a while ({@link #trim()}), the inbox stays once made (another thread may be adding to it).
 */
public final class SendQueue {
    /** Buffers handed to one gathering write at most: well under every platform's IOV_MAX. */
    static final int MAX_BATCH = 64;
    /**
     * The batch's first size. It doubles, up to MAX_BATCH, only when more is queued: most connections never have
     * more than a reply or two waiting, and two arrays of MAX_BATCH were a third of an idle connection's heap.
     */
    static final int FIRST_BATCH = 2;

    private static final VarHandle INBOX;
    private static final VarHandle QUEUED_BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            INBOX = lookup.findVarHandle(SendQueue.class, "inbox", ConcurrentLinkedQueue.class);
            QUEUED_BYTES = lookup.findVarHandle(SendQueue.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Made by the first thread other than the port's that sends; null until then. */
    private volatile ConcurrentLinkedQueue<IoBuffer> inbox;
    /** Where the queued buffers' memory is charged (by the caller, before it queues); refunded here; or null. */
    private final MemoryBudget budget;
    /** Port thread only; null until the port thread first sends. */
    private ArrayDeque<IoBuffer> local;
    /** Port thread only; null until the first write. */
    private IoBuffer[] batch;
    private ByteBuffer[] sources;
    private int batchCount;
    /**
     * While a file streams, only the buffers queued before it may go: how many of them are still to be taken into
     * the batch, or -1 when nothing is held back.
     */
    private int gateBudget = -1;
    /** Buffers written out whole; port thread writes, other threads read it for statistics that may lag. */
    private long buffersWritten;
    /**
     * Memory the queued buffers hold (see {@link #memoryOf}), from the moment each is queued until it goes back;
     * read by any thread for queuedBytes().
     */
    @SuppressWarnings("unused")
    private volatile long queuedBytes;

    /**
     * What a queued buffer costs: the memory it keeps lent (a small reply in a pooled class, a range that pins a
     * whole receive buffer) and the objects that carry it. Counting this, not the bytes to send, makes the
     * watermarks and budgets bound what the process really holds.
     */
    static long memoryOf(IoBuffer buffer) {
        return buffer.memoryHeld() + ENTRY_OVERHEAD;
    }

    /** The heap a queued buffer brings with it: the buffer, its byte buffer, its segment and the queue's node. */
    public static final int ENTRY_OVERHEAD = 160;

    SendQueue(MemoryBudget budget) {
        this.budget = budget;
    }

    void offer(IoBuffer buffer) {
        addQueued(memoryOf(buffer));
        ConcurrentLinkedQueue<IoBuffer> queue = inbox;
        if (queue == null) {
            queue = new ConcurrentLinkedQueue<>();
            if (!INBOX.compareAndSet(this, null, queue)) {
                queue = inbox;
            }
        }
        queue.offer(buffer);
    }

    /**
     * Port thread only: queues without the cost of a concurrent queue. What other threads queued before goes first:
     * a reply released on a worker before the port sends on its own (a file message answering the packet after it)
     * keeps its place.
     */
    void offerLocal(IoBuffer buffer) {
        addQueued(memoryOf(buffer));
        takeInbox();
        if (local == null) {
            local = new ArrayDeque<>(1);
        }
        local.add(buffer);
    }

    long queuedBytes() {
        return queuedBytes;
    }

    private void addQueued(long bytes) {
        QUEUED_BYTES.getAndAdd(this, bytes);
    }

    /** The next buffer queued, the plain queue's first; null when both queues are empty. */
    private IoBuffer pollQueued() {
        IoBuffer next = local == null ? null : local.poll();
        if (next == null) {
            next = pollInbox();
        }
        return next;
    }

    /** Any thread: the inbox's next buffer, or null. */
    private IoBuffer pollInbox() {
        ConcurrentLinkedQueue<IoBuffer> queue = inbox;
        return queue == null ? null : queue.poll();
    }

    /**
     * Drops written buffers from the batch, tops it up from the inbox, and returns how many sources the next write
     * should take from {@link #sources()} (0 when nothing is queued).
     */
    int prepareWrite() {
        int kept = 0;
        for (int i = 0; i < batchCount; i++) {
            IoBuffer buffer = batch[i];
            if (sources[i].hasRemaining()) {
                batch[kept] = buffer;
                sources[kept] = sources[i];
                kept++;
            } else {
                release(buffer);
                buffersWritten++;
            }
        }
        for (int i = kept; i < batchCount; i++) {
            batch[i] = null;
            sources[i] = null;
        }
        batchCount = kept;
        while (batchCount < MAX_BATCH && gateBudget != 0) {
            IoBuffer next = pollQueued();
            if (next == null) {
                break;
            }
            if (batch == null) {
                batch = new IoBuffer[FIRST_BATCH];
                sources = new ByteBuffer[FIRST_BATCH];
            } else if (batchCount == batch.length) {
                // No write is in flight while the next one is prepared, so the arrays may be replaced here.
                int size = Math.min(MAX_BATCH, batch.length * 2);
                batch = Arrays.copyOf(batch, size);
                sources = Arrays.copyOf(sources, size);
            }
            batch[batchCount] = next;
            // A buffer shared with other connections (a broadcast) is written through a view of its own, so each
            // connection's progress moves only its own position. Alone, it is written as is: no one else can see it.
            sources[batchCount] = next.refCount() > 1 ? next.byteBuffer().duplicate() : next.byteBuffer();
            batchCount++;
            if (gateBudget > 0) {
                gateBudget--;
            }
        }
        return batchCount;
    }

    /**
     * Port thread, for a connection whose sends pass byte stages before the socket: the next buffer queued (before
     * the gate, while a file waits), taken out of this queue with its memory; null when there is none.
     */
    IoBuffer takeNext() {
        if (gateBudget == 0) {
            return null;
        }
        IoBuffer next = pollQueued();
        if (next == null) {
            return null;
        }
        if (gateBudget > 0) {
            gateBudget--;
        }
        long memory = memoryOf(next);
        addQueued(-memory);
        if (budget != null) {
            budget.give(memory);
        }
        buffersWritten++;
        return next;
    }

    /** Port thread: nothing is queued or being written. */
    boolean isEmpty() {
        if (batchCount != 0 || (local != null && !local.isEmpty())) {
            return false;
        }
        ConcurrentLinkedQueue<IoBuffer> queue = inbox;
        return queue == null || queue.isEmpty();
    }

    /**
     * Port thread: what is queued now goes out; what is queued from now on waits until {@link #openGate()}. The
     * inbox is moved behind the local queue first, as {@link #prepareWrite()} would take it.
     */
    void closeGate() {
        takeInbox();
        gateBudget = local == null ? 0 : local.size();
    }

    /** Port thread: moves what the inbox holds behind the plain queue, in order. */
    void takeInbox() {
        IoBuffer buffer;
        while ((buffer = pollInbox()) != null) {
            if (local == null) {
                local = new ArrayDeque<>(1);
            }
            local.add(buffer);
        }
    }

    /**
     * Port thread, no write in flight: lets go of the batch arrays and the plain queue when they hold nothing; the
     * next send makes them again.
     */
    void trim() {
        if (batchCount == 0) {
            batch = null;
            sources = null;
        }
        if (local != null && local.isEmpty()) {
            local = null;
        }
    }

    /** Port thread: everything before the gate is written. */
    boolean gateReached() {
        return gateBudget == 0 && batchCount == 0;
    }

    void openGate() {
        gateBudget = -1;
    }

    long buffersWritten() {
        return buffersWritten;
    }

    /** The sources of the write {@link #prepareWrite} prepared; the array may be another after the next prepare. */
    ByteBuffer[] sources() {
        return sources;
    }

    /** A buffer leaves the queue: its memory is no longer held. */
    private void release(IoBuffer buffer) {
        long memory = memoryOf(buffer);
        buffer.release();
        addQueued(-memory);
        if (budget != null) {
            budget.give(memory);
        }
    }

    /**
     * Releases the batch (no write may be in flight) and everything queued; returns how many frames were dropped
     * unwritten (or written in part).
     */
    int releaseAll() {
        int dropped = 0;
        for (int i = 0; i < batchCount; i++) {
            if (sources[i].hasRemaining()) {
                dropped++;
            } else {
                // Written whole by the last write, which completed as the connection closed.
                buffersWritten++;
            }
            release(batch[i]);
            batch[i] = null;
            sources[i] = null;
        }
        batchCount = 0;
        IoBuffer buffer;
        while (local != null && (buffer = local.poll()) != null) {
            release(buffer);
            dropped++;
        }
        return dropped + drainInbox();
    }

    /** Releases what is in the inbox; safe from any thread, each buffer is taken by one caller only. */
    int drainInbox() {
        int dropped = 0;
        IoBuffer buffer;
        while ((buffer = pollInbox()) != null) {
            release(buffer);
            dropped++;
        }
        return dropped;
    }
}
