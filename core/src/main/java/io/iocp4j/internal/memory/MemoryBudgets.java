package io.iocp4j.internal.memory;

/**
 * The caps on memory all of an engine's connections hold together.
 *
 * @param partialFrameBytes frames begun and not yet whole, and what paused connections keep of what they received
 * @param sendQueueBytes    buffers queued to send, counted as the memory they hold
 */
public record MemoryBudgets(long partialFrameBytes, long sendQueueBytes) {
    /** 128 MiB: thousands of peers at the frame limit cannot take more than this between them. */
    public static final long DEFAULT_PARTIAL_FRAME_BYTES = 128L << 20;
    /** 256 MiB: peers that do not read what they are sent cannot make the server hold more than this for them. */
    public static final long DEFAULT_SEND_BYTES = 256L << 20;
    /** A server's: what peers send cannot make it hold more than these. */
    public static final MemoryBudgets DEFAULTS = new MemoryBudgets(DEFAULT_PARTIAL_FRAME_BYTES, DEFAULT_SEND_BYTES);
    /**
     * A client's, unless its user sets them: what it queues is its user's own doing, and the servers it talks to
     * are chosen, not strangers; a cap that made it drop its own sends would only surprise.
     */
    public static final MemoryBudgets UNBOUNDED = new MemoryBudgets(Long.MAX_VALUE >> 2, Long.MAX_VALUE >> 2);

    public MemoryBudgets {
        if (partialFrameBytes < 1 || sendQueueBytes < 1) {
            throw new IllegalArgumentException("partialFrameBytes=" + partialFrameBytes + " sendQueueBytes="
                    + sendQueueBytes + " (each must be at least 1)");
        }
    }

    public MemoryBudgets withPartialFrameBytes(long bytes) {
        return new MemoryBudgets(bytes, sendQueueBytes);
    }

    public MemoryBudgets withSendQueueBytes(long bytes) {
        return new MemoryBudgets(partialFrameBytes, bytes);
    }
}
