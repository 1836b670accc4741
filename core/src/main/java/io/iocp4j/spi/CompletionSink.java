package io.iocp4j.spi;

import io.iocp4j.buffer.IoBuffer;

/**
 * The one shape every socket completion takes, whatever became of the operation: it completed, failed, was
 * cancelled, or never reached the kernel. Called on the port thread, exactly once per operation (a multishot
 * operation: once per result, the last one without {@link UserData#F_MORE}).
 */
@FunctionalInterface
public interface CompletionSink {
    /**
     * @param userData the value given when the operation was submitted
     * @param result   bytes transferred (0 on a receive: end of stream), or a negative errno ({@link Errno})
     * @param flags    {@link UserData#F_MORE} when more completions of the same operation will follow
     * @param buffer   on a receive, the buffer holding the bytes (ownership passes to the sink, which releases
     *                 it); null otherwise
     */
    void complete(long userData, int result, int flags, IoBuffer buffer);
}
