package io.iocp4j.internal;

/**
 * The caps on memory all of an engine's connections hold together.
 *
 * @param partialFrameBytes frames begun and not yet whole, and what paused connections keep of what they received
 * @param sendQueueBytes    buffers queued to send, counted as the memory they hold
 */
public record MemoryBudgets(long partialFrameBytes, long sendQueueBytes) {
    /** 64 MiB: thousands of peers at the frame limit cannot take more than this between them. */
    public static final long DEFAULT_PARTIAL_FRAME_BYTES = 64L << 20;
    /** 256 MiB: peers that do not read what they are sent cannot make the server hold more than this for them. */
    public static final long DEFAULT_SEND_BYTES = 256L << 20;
    public static final MemoryBudgets DEFAULTS = new MemoryBudgets(DEFAULT_PARTIAL_FRAME_BYTES, DEFAULT_SEND_BYTES);

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
