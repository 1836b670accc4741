package io.iocp4j.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An off-heap buffer with a reference count. It is leased with a count of one, shared by {@link #retain()},
 * and goes back to its owner when {@link #release()} brings the count to zero. Once released it must not be
 * touched again: every accessor throws while the count is zero.
 *
 * <p>The readable bytes are those between the position and the limit of {@link #byteBuffer()}; whoever holds
 * the only reference may move them.
 */
public final class IoBuffer {
    /** Where a buffer goes when its count reaches zero. */
    public interface Recycler {
        void recycle(IoBuffer buffer);

        /** True when the owner has few buffers left: whoever holds one should give it back as soon as it can. */
        default boolean runningLow() {
            return false;
        }
    }

    private static final VarHandle REF_COUNT;

    static {
        try {
            REF_COUNT = MethodHandles.lookup().findVarHandle(IoBuffer.class, "refCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment segment;
    private final ByteBuffer buffer;
    private final Recycler recycler;
    /** The owner's number for this buffer: a pool's size class, a receive ring's buffer id. */
    private final int tag;
    /** The memory this buffer keeps from going back: its own, or for a share the whole buffer it is a range of. */
    private final int memoryHeld;
    @SuppressWarnings("unused")
    private volatile int refCount;
    /** Where this lease was taken, when leak tracking is on; null otherwise. */
    private volatile Throwable leasedAt;

    public IoBuffer(MemorySegment segment, Recycler recycler) {
        this(segment, recycler, -1);
    }

    /** A buffer its owner knows by {@code tag}, which stays readable after release, when it is recycled. */
    public IoBuffer(MemorySegment segment, Recycler recycler, int tag) {
        this(segment, recycler, tag, (int) segment.byteSize());
    }

    private IoBuffer(MemorySegment segment, Recycler recycler, int tag, int memoryHeld) {
        this.segment = segment;
        this.buffer = segment.asByteBuffer();
        this.recycler = recycler;
        this.tag = tag;
        this.memoryHeld = memoryHeld;
    }

    /** Makes a recycled buffer live again: a count of one, a full-capacity window, big-endian as when new. */
    public IoBuffer reuse() {
        if (!REF_COUNT.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("buffer still referenced: refCount=" + refCount);
        }
        buffer.clear().order(ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The bytes, with position and limit marking what is readable. */
    public ByteBuffer byteBuffer() {
        ensureLive();
        return buffer;
    }

    /** The whole backing memory, independent of position and limit. */
    public MemorySegment segment() {
        ensureLive();
        return segment;
    }

    public int capacity() {
        return buffer.capacity();
    }

    public int refCount() {
        return refCount;
    }

    public int tag() {
        return tag;
    }

    /**
     * A buffer of its own over bytes {@code [from, to)} of this one's memory, holding a reference to this one until
     * it is released: bytes pass on without a copy, and the memory they are in stays lent meanwhile.
     */
    public IoBuffer share(int from, int to) {
        MemorySegment bytes = segment().asSlice(from, to - from);
        IoBuffer whole = retain();
        return new IoBuffer(bytes, view -> whole.release(), -1, whole.memoryHeld).reuse();
    }

    /**
     * The bytes of memory this buffer keeps lent while it lives: its capacity, or for a {@linkplain #share share}
     * the whole buffer it is a range of. What a queue of buffers costs is the sum of these, not of their contents.
     */
    public int memoryHeld() {
        return memoryHeld;
    }

    /** True when this buffer's owner has few left (see {@link Recycler#runningLow()}). */
    public boolean ownerRunningLow() {
        return recycler.runningLow();
    }

    /** Adds a reference: the buffer is then shared and each holder releases once. */
    public IoBuffer retain() {
        for (;;) {
            int count = refCount;
            if (count <= 0) {
                throw new IllegalStateException("retain of a released buffer");
            }
            if (REF_COUNT.compareAndSet(this, count, count + 1)) {
                return this;
            }
        }
    }

    /** Drops a reference; returns true when this was the last one and the buffer went back to its owner. */
    public boolean release() {
        for (;;) {
            int count = refCount;
            if (count <= 0) {
                throw new IllegalStateException("release of a released buffer");
            }
            if (REF_COUNT.compareAndSet(this, count, count - 1)) {
                if (count == 1) {
                    leasedAt = null;
                    recycler.recycle(this);
                    return true;
                }
                return false;
            }
        }
    }

    void leasedAt(Throwable where) {
        leasedAt = where;
    }

    Throwable leasedAt() {
        return leasedAt;
    }

    private void ensureLive() {
        if (refCount <= 0) {
            throw new IllegalStateException("buffer used after release");
        }
    }

    @Override
    public String toString() {
        return "IoBuffer[capacity=" + buffer.capacity() + ", refCount=" + refCount + "]";
    }
}
