package io.iocp4j.buffer;

import java.nio.ByteBuffer;

/**
 * Bytes gathered across reads until a decoder can use them whole: a partial frame, a line not yet ended. It holds
 * what has arrived, never what a peer announced: the buffer grows in steps (at least doubling, so each byte is
 * copied a bounded number of times) up to the limit the caller gives, and every step is first charged to an
 * {@link Allowance}, so memory held this way across all connections can be capped.
 *
 * <p>Not thread-safe: one per connection, used by the thread that owns it.
 */
public final class Accumulator {
    /** The smallest buffer taken: a few segments' worth, so that tiny steps do not each cost a copy. */
    static final int FIRST_STEP = 512;

    /** Who pays for the memory an accumulator holds. */
    public interface Allowance {
        /**
         * Charges {@code bytes} for a holder that holds {@code held} bytes already; false when they cannot be had
         * (a budget is spent, and this holder is not among the lightest it keeps a reserve for), and nothing is
         * charged.
         */
        boolean take(long bytes, long held);

        /** Gives back {@code bytes} charged before. */
        void give(long bytes);

        /** An allowance that never refuses. */
        Allowance UNLIMITED = new Allowance() {
            @Override
            public boolean take(long bytes, long held) {
                return true;
            }

            @Override
            public void give(long bytes) {
            }
        };
    }

    private final BufferPool pool;
    private final Allowance allowance;
    /** Null while nothing is held. */
    private IoBuffer buffer;
    private int size;

    public Accumulator(BufferPool pool, Allowance allowance) {
        this.pool = pool;
        this.allowance = allowance;
    }

    /**
     * Appends {@code count} bytes of {@code source} from its position, which moves past them. The buffer grows
     * when needed, to at least twice its size but never past {@code limit} (the most this accumulation may ever
     * hold, at least what it will hold after this call). Returns false, appending nothing and leaving
     * {@code source} as it was, when the allowance refuses the growth or the memory cannot be had.
     */
    public boolean append(ByteBuffer source, int count, int limit) {
        int needed = size + count;
        if (needed > limit || count < 0) {
            throw new IllegalArgumentException("size=" + size + " count=" + count + " limit=" + limit);
        }
        if (buffer == null || needed > buffer.capacity()) {
            if (!grow(needed, limit)) {
                return false;
            }
        }
        ByteBuffer target = buffer.byteBuffer().clear();
        target.put(size, source, source.position(), count);
        source.position(source.position() + count);
        size = needed;
        return true;
    }

    private boolean grow(int needed, int limit) {
        int current = buffer == null ? 0 : buffer.capacity();
        long wanted = Math.max(needed, Math.max(FIRST_STEP, 2L * current));
        int capacity = BufferPool.capacityFor((int) Math.min(wanted, limit));
        if (!allowance.take(capacity, current)) {
            return false;
        }
        IoBuffer grown;
        try {
            grown = pool.lease(capacity);
        } catch (BufferAllocationException e) {
            allowance.give(capacity);
            return false;
        }
        if (buffer != null) {
            grown.byteBuffer().put(0, buffer.byteBuffer(), 0, size);
            releaseBuffer();
        }
        buffer = grown;
        return true;
    }

    /** Bytes held now. */
    public int size() {
        return size;
    }

    /** Memory held now (the buffer's capacity), as charged to the allowance. */
    public int memoryHeld() {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** The bytes held, from position 0 to {@link #size()}: valid until the next call that changes them. */
    public ByteBuffer bytes() {
        if (buffer == null) {
            return ByteBuffer.allocate(0);
        }
        return buffer.byteBuffer().limit(size).position(0);
    }

    /**
     * Drops the first {@code count} bytes held, moving the rest to the front; what is held but not the memory
     * shrinks, and when nothing is left the buffer goes back as by {@link #clear()}.
     */
    public void consume(int count) {
        if (count < 0 || count > size) {
            throw new IllegalArgumentException("count=" + count + " size=" + size);
        }
        if (count == size) {
            clear();
            return;
        }
        buffer.byteBuffer().limit(size).position(count).compact();
        size -= count;
    }

    /** Lets go of what is held: the buffer goes back to the pool and its memory to the allowance. */
    public void clear() {
        if (buffer != null) {
            releaseBuffer();
            buffer = null;
        }
        size = 0;
    }

    private void releaseBuffer() {
        int capacity = buffer.capacity();
        IoBuffer held = buffer;
        buffer = null;
        // Cleared before the release: the limit set by bytes() would otherwise travel with it.
        held.byteBuffer().clear();
        held.release();
        allowance.give(capacity);
    }
}
