package io.iocp4j.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_params}: what {@code io_uring_setup} is asked for and answers, including where each
 * field of the mapped rings lives.
 * <pre>
 *   0 u32 sq_entries     4 u32 cq_entries     8 u32 flags        12 u32 sq_thread_cpu
 *  16 u32 sq_thread_idle 20 u32 features     24 u32 wq_fd       28 u32 resv[3]
 *  40 struct io_sqring_offsets sq_off (40 bytes):
 *       head tail ring_mask ring_entries flags dropped array resv1 | u64 user_addr
 *  80 struct io_cqring_offsets cq_off (40 bytes):
 *       head tail ring_mask ring_entries overflow cqes flags resv1 | u64 user_addr
 * </pre>
 */
final class RingParams {
    static final long BYTES = 120;

    private static final long SQ_ENTRIES = 0;
    private static final long CQ_ENTRIES = 4;
    private static final long FLAGS = 8;
    private static final long FEATURES = 20;
    private static final long SQ_OFF = 40;
    private static final long CQ_OFF = 80;

    private final MemorySegment params;

    RingParams(MemorySegment params) {
        this.params = params;
    }

    MemorySegment segment() {
        return params;
    }

    void request(int sqEntries, int cqEntries, int flags) {
        params.fill((byte) 0);
        params.set(JAVA_INT, SQ_ENTRIES, sqEntries);
        params.set(JAVA_INT, CQ_ENTRIES, cqEntries);
        params.set(JAVA_INT, FLAGS, flags);
    }

    int sqEntries() {
        return params.get(JAVA_INT, SQ_ENTRIES);
    }

    int cqEntries() {
        return params.get(JAVA_INT, CQ_ENTRIES);
    }

    int flags() {
        return params.get(JAVA_INT, FLAGS);
    }

    int features() {
        return params.get(JAVA_INT, FEATURES);
    }

    // struct io_sqring_offsets: where each field lives in the mapped submission ring, not its value
    int sqHead() {
        return params.get(JAVA_INT, SQ_OFF);
    }

    int sqTail() {
        return params.get(JAVA_INT, SQ_OFF + 4);
    }

    int sqRingMask() {
        return params.get(JAVA_INT, SQ_OFF + 8);
    }

    int sqFlags() {
        return params.get(JAVA_INT, SQ_OFF + 16);
    }

    int sqDropped() {
        return params.get(JAVA_INT, SQ_OFF + 20);
    }

    int sqArray() {
        return params.get(JAVA_INT, SQ_OFF + 24);
    }

    // struct io_cqring_offsets: where each field lives in the mapped completion ring
    int cqHead() {
        return params.get(JAVA_INT, CQ_OFF);
    }

    int cqTail() {
        return params.get(JAVA_INT, CQ_OFF + 4);
    }

    int cqRingMask() {
        return params.get(JAVA_INT, CQ_OFF + 8);
    }

    int cqOverflow() {
        return params.get(JAVA_INT, CQ_OFF + 16);
    }

    int cqCqes() {
        return params.get(JAVA_INT, CQ_OFF + 20);
    }
}
