package io.iocp4j.internal;

import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's outgoing bytes: an inbox other threads add to, a plain queue for sends made on the port thread
 * itself (the common case: a handler replying), and the batch the port thread is writing. A
 * write that the socket took only in part leaves its rest at the head of the batch, so it goes out before
 * anything queued after it.
 *
 * <p>{@link #offer} and {@link #drainInbox} from any thread; everything else on the port thread. Sends from one
 * thread keep their order; sends from different threads have none between them to keep.
 */
final class SendQueue {
    /** Buffers handed to one gathering write at most: well under every platform's IOV_MAX. */
    static final int MAX_BATCH = 64;
    /**
     * The batch's first size. It doubles, up to MAX_BATCH, only when more is queued: most connections never have
     * more than a reply or two waiting, and two arrays of MAX_BATCH were a third of an idle connection's heap.
     */
    static final int FIRST_BATCH = 2;

    private final ConcurrentLinkedQueue<IoBuffer> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<IoBuffer> local = new ArrayDeque<>(1);
    private IoBuffer[] batch = new IoBuffer[FIRST_BATCH];
    private ByteBuffer[] sources = new ByteBuffer[FIRST_BATCH];
    private int batchCount;
    /**
     * While a file streams, only the buffers queued before it may go: how many of them are still to be taken into
     * the batch, or -1 when nothing is held back.
     */
    private int gateBudget = -1;
    /** Buffers written out whole; port thread writes, other threads read it for statistics that may lag. */
    private long buffersWritten;
    /** Bytes in the inbox and the batch not yet written; read by any thread for queuedBytes(). */
    private final AtomicLong queuedBytes = new AtomicLong();

    void offer(IoBuffer buffer) {
        queuedBytes.addAndGet(buffer.byteBuffer().remaining());
        inbox.offer(buffer);
    }

    /**
     * Port thread only: queues without the cost of a concurrent queue. What other threads queued before goes first:
     * a reply released on a worker before the port sends on its own (a file message answering the packet after it)
     * keeps its place.
     */
    void offerLocal(IoBuffer buffer) {
        queuedBytes.addAndGet(buffer.byteBuffer().remaining());
        takeInbox();
        local.add(buffer);
    }

    long queuedBytes() {
        return queuedBytes.get();
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
                buffer.release();
                buffersWritten++;
            }
        }
        for (int i = kept; i < batchCount; i++) {
            batch[i] = null;
            sources[i] = null;
        }
        batchCount = kept;
        while (batchCount < MAX_BATCH && gateBudget != 0) {
            IoBuffer next = local.poll();
            if (next == null) {
                next = inbox.poll();
            }
            if (next == null) {
                break;
            }
            if (batchCount == batch.length) {
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
     * Port thread: what is queued now goes out; what is queued from now on waits until {@link #openGate()}. The
     * inbox is moved behind the local queue first, as {@link #prepareWrite()} would take it.
     */
    void closeGate() {
        takeInbox();
        gateBudget = local.size();
    }

    /** Port thread: moves what the inbox holds behind the plain queue, in order. */
    void takeInbox() {
        IoBuffer buffer;
        while ((buffer = inbox.poll()) != null) {
            local.add(buffer);
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

    /** Accounts for a completed write of {@code bytes}; the written buffers go back at the next prepare. */
    void written(int bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    /**
     * Releases the batch (no write may be in flight) and everything queued; returns how many frames were dropped
     * unwritten (or written in part).
     */
    int releaseAll() {
        int dropped = 0;
        for (int i = 0; i < batchCount; i++) {
            queuedBytes.addAndGet(-sources[i].remaining());
            if (sources[i].hasRemaining()) {
                dropped++;
            } else {
                // Written whole by the last write, which completed as the connection closed.
                buffersWritten++;
            }
            batch[i].release();
            batch[i] = null;
            sources[i] = null;
        }
        batchCount = 0;
        IoBuffer buffer;
        while ((buffer = local.poll()) != null) {
            queuedBytes.addAndGet(-buffer.byteBuffer().remaining());
            buffer.release();
            dropped++;
        }
        return dropped + drainInbox();
    }

    /** Releases what is in the inbox; safe from any thread, each buffer is taken by one caller only. */
    int drainInbox() {
        int dropped = 0;
        IoBuffer buffer;
        while ((buffer = inbox.poll()) != null) {
            queuedBytes.addAndGet(-buffer.byteBuffer().remaining());
            buffer.release();
            dropped++;
        }
        return dropped;
    }
}
