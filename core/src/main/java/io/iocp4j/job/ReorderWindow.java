package io.iocp4j.job;

import java.util.function.Consumer;

/**
 * Results numbered 0, 1, 2, ... that complete in any order, on any thread, and are handed on in number order: the
 * results of one connection's jobs running in parallel, released to its socket in packet order. A result waits in
 * the window until every result numbered before it has been handed on; the window holds at most
 * {@link #capacity()} numbers at once, which the caller bounds by how many jobs it lets run.
 *
 * <p>{@link #complete} from any thread; the consumer runs under the window's lock, on the thread that completed the
 * result it is handed or a later one, so it must be quick and must not wait for another completion.
 */
public final class ReorderWindow<T> {
    private final Object[] slots;
    private final int mask;
    private final Consumer<? super T> release;
    private long next;

    public ReorderWindow(int capacity, Consumer<? super T> release) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slots = new Object[size];
        this.mask = size - 1;
        this.release = release;
    }

    public int capacity() {
        return slots.length;
    }

    /**
     * Files the result numbered {@code sequence} and hands on every result that is now next in line.
     *
     * @throws IllegalArgumentException when {@code sequence} was already completed or lies beyond the window
     */
    @SuppressWarnings("unchecked")
    public synchronized void complete(long sequence, T result) {
        if (result == null) {
            throw new IllegalArgumentException("result=null sequence=" + sequence);
        }
        if (sequence < next || sequence - next >= slots.length) {
            throw new IllegalArgumentException("sequence=" + sequence + " outside the window [" + next + ", "
                    + (next + slots.length) + ")");
        }
        int index = (int) sequence & mask;
        if (slots[index] != null) {
            throw new IllegalArgumentException("sequence=" + sequence + " completed twice");
        }
        slots[index] = result;
        Object ready;
        while ((ready = slots[(int) next & mask]) != null) {
            slots[(int) next & mask] = null;
            next++;
            release.accept((T) ready);
        }
    }

    /** The number of the next result to hand on: every result before it has been. */
    public synchronized long nextToRelease() {
        return next;
    }
}
