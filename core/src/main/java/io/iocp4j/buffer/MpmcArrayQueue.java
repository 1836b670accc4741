package io.iocp4j.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded lock-free queue for many producers and many consumers (Vyukov's design): each cell carries a
 * sequence number that says whether it is ready to be written or read in the current lap. Allocates
 * nothing after construction.
 */
final class MpmcArrayQueue<E> {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(MpmcArrayQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(MpmcArrayQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long[] sequences;
    private final Object[] elements;
    /** Next position to read; advanced by consumers with CAS. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next position to write; advanced by producers with CAS. */
    @SuppressWarnings("unused")
    private volatile long tail;

    MpmcArrayQueue(int requestedCapacity) {
        if (requestedCapacity < 2 || requestedCapacity > 1 << 30) {
            throw new IllegalArgumentException("requestedCapacity=" + requestedCapacity);
        }
        int capacity = Integer.highestOneBit(requestedCapacity - 1) << 1;
        mask = capacity - 1;
        sequences = new long[capacity];
        elements = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = i;
        }
    }

    int capacity() {
        return mask + 1;
    }

    /** Returns false when the queue is full. */
    boolean offer(E element) {
        long position = (long) TAIL.getVolatile(this);
        for (;;) {
            int index = (int) position & mask;
            long sequence = (long) SEQUENCE.getAcquire(sequences, index);
            long lag = sequence - position;
            if (lag == 0) {
                if (TAIL.compareAndSet(this, position, position + 1)) {
                    ELEMENT.set(elements, index, element);
                    // Publishes the element to the consumer that acquires this sequence.
                    SEQUENCE.setRelease(sequences, index, position + 1);
                    return true;
                }
                position = (long) TAIL.getVolatile(this);
            } else if (lag < 0) {
                return false;
            } else {
                position = (long) TAIL.getVolatile(this);
            }
        }
    }

    /** Returns null when the queue is empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        long position = (long) HEAD.getVolatile(this);
        for (;;) {
            int index = (int) position & mask;
            long sequence = (long) SEQUENCE.getAcquire(sequences, index);
            long lag = sequence - (position + 1);
            if (lag == 0) {
                if (HEAD.compareAndSet(this, position, position + 1)) {
                    E element = (E) ELEMENT.get(elements, index);
                    ELEMENT.set(elements, index, null);
                    // Hands the cell back to producers of the next lap.
                    SEQUENCE.setRelease(sequences, index, position + mask + 1);
                    return element;
                }
                position = (long) HEAD.getVolatile(this);
            } else if (lag < 0) {
                return null;
            } else {
                position = (long) HEAD.getVolatile(this);
            }
        }
    }
}
