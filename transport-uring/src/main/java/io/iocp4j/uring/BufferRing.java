package io.iocp4j.uring;

import io.iocp4j.buffer.IoBuffer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided-buffer ring: receive buffers the kernel picks from only when bytes arrive, so a silent connection
 * holds none. A buffer the kernel filled is lent out as an {@link IoBuffer}; its release puts it back in the ring.
 * Only the port thread touches the ring; a buffer released elsewhere is handed to the port first.
 * <pre>
 * struct io_uring_buf (16 bytes), the ring's entries:
 *   0 u64 addr    8 u32 len    12 u16 bid    14 u16 resv (of entry 0: the ring's tail)
 * struct io_uring_buf_reg (40 bytes), the registration:
 *   0 u64 ring_addr    8 u32 ring_entries    12 u16 bgid    14 u16 pad    16 u64 resv[3]
 * </pre>
 */
final class BufferRing {
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    private static final long ENTRY_BYTES = 16;
    private static final long TAIL = 14;

    /** Where a released buffer goes when its release happens off the port thread. */
    interface Returner {
        void returnLater(BufferRing ring, IoBuffer buffer);
    }

    private final Ring ring;
    private final short group;
    private final int count;
    private final int bufferSize;
    private final MemorySegment entries;
    private final IoBuffer[] buffers;
    private final long[] addresses;
    private final Thread owner;
    private final Returner returner;
    private int tail;
    /** Buffers lent out; written by the port thread, read by anyone. */
    private volatile int lent;
    private boolean registered;

    BufferRing(Ring ring, short group, int count, int bufferSize, Arena arena, Returner returner) throws IOException {
        if (Integer.bitCount(count) != 1 || count > 32768) {
            throw new IllegalArgumentException("count=" + count);
        }
        this.ring = ring;
        this.group = group;
        this.count = count;
        this.bufferSize = bufferSize;
        this.owner = Thread.currentThread();
        this.returner = returner;
        // The kernel wants the entries page-aligned; both stay mapped until the ring is gone.
        this.entries = arena.allocate(ENTRY_BYTES * count, 4096);
        MemorySegment memory = arena.allocate((long) bufferSize * count, 4096);
        this.buffers = new IoBuffer[count];
        this.addresses = new long[count];
        IoBuffer.Recycler recycler = new IoBuffer.Recycler() {
            @Override
            public void recycle(IoBuffer buffer) {
                BufferRing.this.recycle(buffer);
            }

            /** Half the ring lent out: bytes still held (a reply sent from its receive buffer) had better be copied. */
            @Override
            public boolean runningLow() {
                return lent > count / 2;
            }
        };
        for (int id = 0; id < count; id++) {
            addresses[id] = memory.address() + (long) id * bufferSize;
            buffers[id] = new IoBuffer(memory.asSlice((long) id * bufferSize, bufferSize), recycler, id);
        }
        MemorySegment registration = arena.allocate(40, 8);
        registration.set(JAVA_LONG, 0, entries.address());
        registration.set(JAVA_INT, 8, count);
        registration.set(JAVA_SHORT, 12, group);
        int result = ring.register(IoUring.IORING_REGISTER_PBUF_RING, registration.address(), 1);
        if (result < 0) {
            throw Errnos.exception("io_uring_register(IORING_REGISTER_PBUF_RING)", -result);
        }
        registered = true;
        for (int id = 0; id < count; id++) {
            add(id);
        }
        publish();
    }

    short group() {
        return group;
    }

    int bufferSize() {
        return bufferSize;
    }

    int count() {
        return count;
    }

    /** Buffers holding received bytes that have not come back yet. */
    int lent() {
        return lent;
    }

    /** The buffer the kernel filled with {@code length} bytes, lent out until its release. */
    IoBuffer take(int id, int length) {
        IoBuffer buffer = buffers[id].reuse();
        buffer.byteBuffer().limit(length);
        lent = lent + 1;
        return buffer;
    }

    /** Gives back a buffer named by a completion that will not be delivered (it arrived for a closed socket). */
    void giveBack(int id) {
        add(id);
        publish();
    }

    private void recycle(IoBuffer buffer) {
        if (Thread.currentThread() != owner) {
            returner.returnLater(this, buffer);
            return;
        }
        returnOnOwner(buffer);
    }

    /** Port thread: the buffer goes back in the ring, where the kernel can pick it again. */
    void returnOnOwner(IoBuffer buffer) {
        add(buffer.tag());
        publish();
        lent = lent - 1;
    }

    private void add(int id) {
        long entry = (tail & (count - 1)) * ENTRY_BYTES;
        entries.set(JAVA_LONG, entry, addresses[id]);
        entries.set(JAVA_INT, entry + 8, bufferSize);
        entries.set(JAVA_SHORT, entry + 12, (short) id);
        tail++;
    }

    private void publish() {
        // The kernel reads the tail before the entries it covers; the release orders the entry writes first.
        SHORT.setRelease(entries, TAIL, (short) tail);
    }

    /** Port thread, once no receive can pick from it any more. */
    void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment registration = scratch.allocate(40, 8);
            registration.set(JAVA_SHORT, 12, group);
            ring.register(IoUring.IORING_UNREGISTER_PBUF_RING, registration.address(), 1);
        }
    }
}
