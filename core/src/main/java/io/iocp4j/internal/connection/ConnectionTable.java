package io.iocp4j.internal.connection;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.CompletionSink;
import io.iocp4j.spi.UserData;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Slots for live connections, each with a generation that changes when the slot is freed, so that a completion
 * carrying an earlier tenant's (slot, generation) is recognised, counted and ignored: never applied to the new
 * tenant. Every socket completion of an engine's ports enters here.
 *
 * <p>The table also finds a live connection by its id, through an index of slots by id kept beside the slots (four
 * bytes a connection where a map would keep a boxed key and a node).
 *
 * <p>Registration, freeing and look-ups by id take a lock (the first two happen once per connection); look-ups by
 * completions do not.
 */
public final class ConnectionTable implements CompletionSink {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(RealConnection[].class);

    private final int maxSlots;
    /** Replaced when the table grows; completions read whichever array is current. */
    private volatile RealConnection[] slots;
    private int[] generations;
    private int[] freeSlots;
    private int freeCount;
    private int used;
    /**
     * Slot + 1 of each live connection at (or after, by linear probing) the place its id hashes to; 0 is empty. Its
     * length is a power of two, at most three quarters full.
     */
    private int[] slotsById;
    /** 64 less the bits of an index into {@link #slotsById}. */
    private int idHashShift;
    private final LongAdder staleCompletions = new LongAdder();

    public ConnectionTable(int initialSlots, int maxSlots) {
        if (initialSlots < 1 || maxSlots < initialSlots) {
            throw new IllegalArgumentException("initialSlots=" + initialSlots + " maxSlots=" + maxSlots);
        }
        this.maxSlots = maxSlots;
        this.slots = new RealConnection[initialSlots];
        this.generations = new int[initialSlots];
        this.freeSlots = new int[initialSlots];
        // Lowest slots first, so a small table reuses slots soon.
        for (int i = 0; i < initialSlots; i++) {
            freeSlots[i] = initialSlots - 1 - i;
        }
        this.freeCount = initialSlots;
        resizeIndex(Integer.highestOneBit(Math.max(2, initialSlots)) * 2);
    }

    /** Gives the connection a slot and the slot's current generation; false when every slot is taken. */
    public synchronized boolean register(RealConnection connection) {
        if (freeCount == 0 && !grow()) {
            return false;
        }
        int slot = freeSlots[--freeCount];
        connection.assignSlot(slot, generations[slot]);
        if (used + 1 > slotsById.length / 4 * 3) {
            // Before the new connection is in a slot: the resize indexes those that are.
            resizeIndex(slotsById.length * 2);
        }
        SLOT.setRelease(slots, slot, connection);
        used++;
        index(connection);
        return true;
    }

    public synchronized void free(RealConnection connection) {
        int slot = connection.slot();
        if (SLOT.getAcquire(slots, slot) != connection) {
            throw new IllegalStateException("slot=" + slot + " is not held by connection=" + connection.id());
        }
        // While the slot still holds it: the index finds its entries' ids through the slots.
        unindex(connection.id());
        SLOT.setRelease(slots, slot, (RealConnection) null);
        generations[slot] = (generations[slot] + 1) & UserData.GENERATION_MASK;
        freeSlots[freeCount++] = slot;
        used--;
        notifyAll();
    }

    public synchronized int inUse() {
        return used;
    }

    /** Waits until no slot is in use or the deadline passes; true when empty. */
    public synchronized boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        while (used > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The live connection with this id, or null. */
    public synchronized RealConnection byId(long id) {
        int at = find(id);
        return at < 0 ? null : slots[slotsById[at] - 1];
    }

    public synchronized List<RealConnection> snapshot() {
        List<RealConnection> live = new ArrayList<>(used);
        for (RealConnection connection : slots) {
            if (connection != null) {
                live.add(connection);
            }
        }
        return live;
    }

    public long staleCompletions() {
        return staleCompletions.sum();
    }

    @Override
    public void complete(long userData, int result, int flags, IoBuffer buffer) {
        if (userData == UserData.UNTRACKED) {
            if (buffer != null) {
                buffer.release();
            }
            return;
        }
        int slot = UserData.slot(userData);
        RealConnection[] current = slots;
        RealConnection connection = slot >= 0 && slot < current.length
                ? (RealConnection) SLOT.getAcquire(current, slot) : null;
        if (connection == null || connection.generation() != UserData.generation(userData)) {
            staleCompletions.increment();
            if (buffer != null) {
                buffer.release();
            }
            return;
        }
        connection.onCompletion(UserData.op(userData), result, flags, buffer);
    }

    private int home(long id) {
        // Fibonacci hashing: ids are consecutive, and their home places should not be.
        return (int) ((id * 0x9E37_79B9_7F4A_7C15L) >>> idHashShift);
    }

    private void index(RealConnection connection) {
        int mask = slotsById.length - 1;
        int at = home(connection.id());
        while (slotsById[at] != 0) {
            at = (at + 1) & mask;
        }
        slotsById[at] = connection.slot() + 1;
    }

    /** Where the index holds the connection with {@code id}, or -1. */
    private int find(long id) {
        int mask = slotsById.length - 1;
        for (int at = home(id); slotsById[at] != 0; at = (at + 1) & mask) {
            if (slots[slotsById[at] - 1].id() == id) {
                return at;
            }
        }
        return -1;
    }

    private void unindex(long id) {
        int hole = find(id);
        if (hole < 0) {
            throw new IllegalStateException("connection=" + id + " is not in the index");
        }
        slotsById[hole] = 0;
        // Entries after the hole that probed past it move back into it, so that every entry stays reachable from
        // its home place without a gap on the way.
        int mask = slotsById.length - 1;
        for (int at = (hole + 1) & mask; slotsById[at] != 0; at = (at + 1) & mask) {
            int home = home(slots[slotsById[at] - 1].id());
            if (((at - home) & mask) >= ((at - hole) & mask)) {
                slotsById[hole] = slotsById[at];
                slotsById[at] = 0;
                hole = at;
            }
        }
    }

    private void resizeIndex(int length) {
        slotsById = new int[length];
        idHashShift = Long.SIZE - Integer.numberOfTrailingZeros(length);
        for (RealConnection connection : slots) {
            if (connection != null) {
                index(connection);
            }
        }
    }

    private boolean grow() {
        int size = slots.length;
        if (size >= maxSlots) {
            return false;
        }
        int grown = (int) Math.min(maxSlots, Math.max(size + 1, (long) size * 2));
        generations = Arrays.copyOf(generations, grown);
        int[] free = new int[grown];
        System.arraycopy(freeSlots, 0, free, 0, freeCount);
        for (int slot = grown - 1; slot >= size; slot--) {
            free[freeCount++] = slot;
        }
        freeSlots = free;
        slots = Arrays.copyOf(slots, grown);
        return true;
    }
}
