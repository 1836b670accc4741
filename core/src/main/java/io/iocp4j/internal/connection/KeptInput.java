package io.iocp4j.internal.connection;

import io.iocp4j.buffer.BufferAllocationException;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.internal.memory.MemoryBudget;

import java.nio.ByteBuffer;

/**
 * What the receiving side keeps while its reading is paused, to hand over in order when it resumes: a whole packet
 * that found no room, the bytes received meanwhile (not yet decoded), and a file message waiting for the packets
 * before it to be handled. Each is a pooled copy charged to the partial-frame budget. Made by the first pause: most
 * connections never pause.
 *
 * <p>Port thread only, except {@link #memory()}.
 */
final class KeptInput {
    private final BufferPool pool;
    private final MemoryBudget budget;
    /** A whole packet that found no room. */
    IoBuffer packet;
    /** Bytes received while paused, not yet decoded. */
    IoBuffer bytes;
    /** A file message waiting for the packets before it to be handled, so that it keeps its place among them. */
    IoBuffer frame;
    /** Memory of the copies kept, charged to the budget. Other threads read it without a fence, for statistics. */
    private int memory;

    KeptInput(BufferPool pool, MemoryBudget budget) {
        this.pool = pool;
        this.budget = budget;
    }

    // Each keep takes the remaining bytes it is given, charged to the budget for a connection holding {@code held}
    // already, and returns false when the budget or the memory refused them: the connection is to close.

    boolean keepPacket(ByteBuffer packet, long held) {
        this.packet = copy(packet, null, held);
        return this.packet != null;
    }

    boolean keepFrame(ByteBuffer frame, long held) {
        this.frame = copy(frame, null, held);
        return this.frame != null;
    }

    /** After the bytes kept before, in one buffer. */
    boolean keepBytes(ByteBuffer more, long held) {
        IoBuffer before = bytes;
        IoBuffer copy = copy(more, before, held);
        if (copy == null) {
            return false;
        }
        bytes = copy;
        if (before != null) {
            release(before);
        }
        return true;
    }

    /**
     * A pooled buffer holding {@code prefix}'s bytes (if any), then {@code bytes}'s remaining ones, which it takes;
     * or null when the budget or the memory refused it (the bytes are taken all the same).
     */
    private IoBuffer copy(ByteBuffer bytes, IoBuffer prefix, long held) {
        int before = prefix == null ? 0 : prefix.byteBuffer().remaining();
        int length = before + bytes.remaining();
        int capacity = BufferPool.capacityFor(length);
        IoBuffer copy = null;
        if (budget.take(capacity, held)) {
            try {
                copy = pool.lease(length);
            } catch (BufferAllocationException e) {
                budget.give(capacity);
            }
        }
        if (copy == null) {
            bytes.position(bytes.limit());
            return null;
        }
        memory += copy.capacity();
        ByteBuffer target = copy.byteBuffer();
        if (prefix != null) {
            target.put(0, prefix.byteBuffer(), prefix.byteBuffer().position(), before);
        }
        target.put(before, bytes, bytes.position(), bytes.remaining()).limit(length);
        bytes.position(bytes.limit());
        return copy;
    }

    /** A copy goes back, and its memory to the budget. */
    void release(IoBuffer copy) {
        int capacity = copy.capacity();
        copy.release();
        memory -= capacity;
        budget.give(capacity);
    }

    /** Everything kept goes back. */
    void releaseAll() {
        if (packet != null) {
            release(packet);
            packet = null;
        }
        if (bytes != null) {
            release(bytes);
            bytes = null;
        }
        if (frame != null) {
            release(frame);
            frame = null;
        }
    }

    /** Memory of the copies kept now. Any thread, racy. */
    int memory() {
        return memory;
    }
}
