package io.iocp4j.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The completion side of a ring, read only by the ring's owner thread. */
final class CompletionQueue {
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** Receives one completion; may submit more work. */
    interface Handler {
        void complete(long userData, int result, int flags);
    }

    private final MemorySegment ring;
    private final MemorySegment cqes;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final int mask;
    private final int entries;

    CompletionQueue(MemorySegment ring, RingParams params) {
        this.ring = ring;
        this.entries = params.cqEntries();
        this.cqes = ring.asSlice(params.cqCqes(), (long) entries * Cqe.BYTES);
        this.headOffset = params.cqHead();
        this.tailOffset = params.cqTail();
        this.overflowOffset = params.cqOverflow();
        this.mask = ring.get(JAVA_INT, params.cqRingMask());
    }

    int capacity() {
        return entries;
    }

    /** Completions posted and not yet taken. */
    int ready() {
        return (int) INT.getAcquire(ring, tailOffset) - (int) INT.getAcquire(ring, headOffset);
    }

    /** Completions the kernel could not post because the queue was full (counted only without NODROP). */
    int overflowed() {
        return (int) INT.getAcquire(ring, overflowOffset);
    }

    /**
     * Hands every posted completion to {@code handler}, in order, and returns how many. Each entry is copied out
     * and its slot given back before the handler runs, so a handler that makes the kernel post more (a submit
     * that completes inline) finds room.
     */
    int drain(Handler handler) {
        // The kernel publishes the tail with a release after writing the entries; this acquire pairs with it.
        int tail = (int) INT.getAcquire(ring, tailOffset);
        int head = (int) INT.get(ring, headOffset);
        int taken = 0;
        while (head != tail) {
            long cqe = (long) (head & mask) * Cqe.BYTES;
            long userData = cqes.get(JAVA_LONG, cqe + Cqe.USER_DATA);
            int result = cqes.get(JAVA_INT, cqe + Cqe.RES);
            int flags = cqes.get(JAVA_INT, cqe + Cqe.FLAGS);
            head++;
            // The kernel reads the head to find free slots; the release orders the reads above before it.
            INT.setRelease(ring, headOffset, head);
            taken++;
            handler.complete(userData, result, flags);
            if (head == tail) {
                tail = (int) INT.getAcquire(ring, tailOffset);
            }
        }
        return taken;
    }
}
