package io.iocp4j.buffer;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * Off-heap buffers in power-of-two size classes, from {@value #MIN_CLASS_BYTES} bytes to
 * {@value #MAX_CLASS_BYTES}. Each class keeps a bounded free list; a buffer released when its list is full is
 * dropped and its memory goes back to the system with its slab. Larger requests get an exact, unpooled buffer.
 *
 * <p>The pool knows at every moment how many leases are out: {@link #leasesOutstanding()} is exact once the
 * threads using it are quiet. With leak tracking on, each lease also records where it was taken.
 *
 * <p>Thread-safe: lease and release from any thread.
 */
public final class BufferPool {
    public static final int MIN_CLASS_BYTES = 64;
    /**
     * The largest pooled class: frames up to 16 MiB reuse buffers instead of zeroing fresh memory for every one (a
     * fresh allocation is zeroed, and on the I/O thread that is time other connections wait).
     */
    public static final int MAX_CLASS_BYTES = 16 << 20;
    /** Free bytes each size class keeps for reuse by default. */
    public static final long DEFAULT_FREE_BYTES_PER_CLASS = 8 << 20;
    /** Small classes are carved from slabs of this size, so a 64-byte lease does not cost an allocation. */
    private static final int SLAB_BYTES = 64 << 10;
    private static final int MIN_CLASS_SHIFT = Integer.numberOfTrailingZeros(MIN_CLASS_BYTES);
    private static final int CLASS_COUNT = Integer.numberOfTrailingZeros(MAX_CLASS_BYTES) - MIN_CLASS_SHIFT + 1;
    private static final int UNPOOLED = -1;

    private final SizeClass[] classes = new SizeClass[CLASS_COUNT];
    private final LongAdder leased = new LongAdder();
    private final LongAdder returned = new LongAdder();
    /** Capacity of the leases out now: what they hold, counted by the pool itself. */
    private final LongAdder bytesLeased = new LongAdder();
    /** For tests: while this says true, leases fail as they would when memory ran out. */
    private volatile IntPredicate failAllocations;
    private final boolean trackLeaks;
    /** Live leases, only when tracking leaks. */
    private final Set<IoBuffer> live;
    private final IoBuffer.Recycler recycler = this::recycle;

    /** A pool keeping up to {@code freeBytesPerClass} bytes of free buffers in each size class. */
    public BufferPool(long freeBytesPerClass, boolean trackLeaks) {
        if (freeBytesPerClass < 0) {
            throw new IllegalArgumentException("freeBytesPerClass=" + freeBytesPerClass);
        }
        for (int i = 0; i < CLASS_COUNT; i++) {
            int size = MIN_CLASS_BYTES << i;
            int bound = (int) Math.clamp(freeBytesPerClass / size, 2, 8192);
            classes[i] = new SizeClass(size, bound);
        }
        this.trackLeaks = trackLeaks;
        this.live = trackLeaks ? ConcurrentHashMap.newKeySet() : null;
    }

    /** 8 MiB of free buffers per class; leak tracking when the system property {@code iocp4j.trackLeaks} is true. */
    public BufferPool() {
        this(DEFAULT_FREE_BYTES_PER_CLASS, Boolean.getBoolean("iocp4j.trackLeaks"));
    }

    /**
     * Leases a buffer of at least {@code minCapacity} bytes, with a count of one, position 0 and limit at its
     * capacity.
     */
    public IoBuffer lease(int minCapacity) {
        if (minCapacity < 0) {
            throw new IllegalArgumentException("minCapacity=" + minCapacity);
        }
        IntPredicate failing = failAllocations;
        if (failing != null && failing.test(minCapacity)) {
            throw new BufferAllocationException(minCapacity, null);
        }
        IoBuffer buffer;
        try {
            if (minCapacity > MAX_CLASS_BYTES) {
                buffer = new IoBuffer(Arena.ofAuto().allocate(minCapacity, 64), recycler, UNPOOLED);
            } else {
                buffer = classes[classIndex(minCapacity)].take();
            }
        } catch (OutOfMemoryError e) {
            // Direct memory ran out: the caller (one connection) fails, not the thread it runs on.
            throw new BufferAllocationException(minCapacity, e);
        }
        buffer.reuse();
        leased.increment();
        bytesLeased.add(buffer.capacity());
        if (trackLeaks) {
            buffer.leasedAt(new Throwable("buffer of " + buffer.capacity() + " bytes leased here"));
            live.add(buffer);
        }
        return buffer;
    }

    /** Leases that have not come back. Exact when no thread is leasing or releasing meanwhile. */
    public long leasesOutstanding() {
        return leased.sum() - returned.sum();
    }

    /** Bytes held by the leases out now (their capacities). Exact when no thread is leasing or releasing. */
    public long bytesLeased() {
        return bytesLeased.sum();
    }

    /**
     * The capacity a lease of {@code minCapacity} bytes gets: its power-of-two class, or exactly what it asks above
     * {@link #MAX_CLASS_BYTES}. Lets a caller charge a budget before it leases.
     */
    public static int capacityFor(int minCapacity) {
        if (minCapacity > MAX_CLASS_BYTES) {
            return minCapacity;
        }
        return MIN_CLASS_BYTES << classIndex(minCapacity);
    }

    /**
     * For tests of what happens when memory runs out: a lease whose requested size {@code when} accepts throws
     * {@link BufferAllocationException}, as it does when direct memory is exhausted; null turns it off.
     */
    public void failAllocations(IntPredicate when) {
        failAllocations = when;
    }

    public long leasesTotal() {
        return leased.sum();
    }

    public boolean tracksLeaks() {
        return trackLeaks;
    }

    /** Where each outstanding lease was taken; empty unless leak tracking is on. */
    public List<Throwable> outstandingLeaseSites() {
        List<Throwable> sites = new ArrayList<>();
        if (trackLeaks) {
            for (IoBuffer buffer : live) {
                Throwable site = buffer.leasedAt();
                if (site != null) {
                    sites.add(site);
                }
            }
        }
        return sites;
    }

    static int classIndex(int capacity) {
        if (capacity <= MIN_CLASS_BYTES) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(capacity - 1) - MIN_CLASS_SHIFT;
    }

    private void recycle(IoBuffer buffer) {
        if (trackLeaks) {
            live.remove(buffer);
        }
        returned.increment();
        bytesLeased.add(-buffer.capacity());
        int index = buffer.tag();
        if (index != UNPOOLED) {
            classes[index].give(buffer);
        }
    }

    private final class SizeClass {
        private final int size;
        private final MpmcArrayQueue<IoBuffer> free;

        SizeClass(int size, int bound) {
            this.size = size;
            this.free = new MpmcArrayQueue<>(bound);
        }

        IoBuffer take() {
            IoBuffer buffer = free.poll();
            if (buffer != null) {
                return buffer;
            }
            int index = classIndex(size);
            if (size >= SLAB_BYTES) {
                return new IoBuffer(Arena.ofAuto().allocate(size, 64), recycler, index);
            }
            // Carve a whole slab: the first piece is returned, the rest seed the free list. A slab's memory is
            // freed by the GC once none of its pieces is referenced any more.
            MemorySegment slab = Arena.ofAuto().allocate(SLAB_BYTES, 64);
            int pieces = SLAB_BYTES / size;
            for (int i = 1; i < pieces; i++) {
                if (!free.offer(new IoBuffer(slab.asSlice((long) i * size, size), recycler, index))) {
                    break;
                }
            }
            return new IoBuffer(slab.asSlice(0, size), recycler, index);
        }

        void give(IoBuffer buffer) {
            // A full list drops the buffer: its memory returns to the system with its slab.
            free.offer(buffer);
        }
    }
}
