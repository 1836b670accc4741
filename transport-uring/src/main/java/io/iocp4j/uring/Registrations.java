package io.iocp4j.uring;

import io.iocp4j.spi.UserData;

import java.util.Arrays;

/**
 * What the port's operations belong to, by slot, with a generation per slot: an operation's user data carries
 * both, so a completion that arrives after its owner left (and the slot found a new one) is recognised and
 * ignored, never applied to the new owner. Port thread only.
 */
final class Registrations {
    /** Whatever the port's operations are submitted for: a socket, a listener, a connect. */
    interface Owner {
        /** One completion of an operation this owner submitted; {@code op} is the operation's code. */
        void complete(int op, int result, int flags);
    }

    private Owner[] owners = new Owner[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int highWater;
    private int inUse;

    /** Gives {@code owner} a slot; its operations' user data come from {@link #userData}. */
    int register(Owner owner) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater == owners.length) {
                int size = owners.length * 2;
                owners = Arrays.copyOf(owners, size);
                generations = Arrays.copyOf(generations, size);
                free = Arrays.copyOf(free, size);
            }
            slot = highWater++;
        }
        owners[slot] = owner;
        inUse++;
        return slot;
    }

    long userData(int slot, int op) {
        return UserData.pack(slot, generations[slot], op);
    }

    /** The slot's owner is gone: its slot gets a new generation, so late completions no longer find it. */
    void unregister(int slot) {
        if (owners[slot] == null) {
            throw new IllegalStateException("slot " + slot + " freed twice");
        }
        owners[slot] = null;
        generations[slot] = (generations[slot] + 1) & UserData.GENERATION_MASK;
        free[freeCount++] = slot;
        inUse--;
    }

    /** The owner of {@code userData}, or null when it belongs to an earlier owner of the slot. */
    Owner owner(long userData) {
        int slot = UserData.slot(userData);
        if (slot < 0 || slot >= highWater || generations[slot] != UserData.generation(userData)) {
            return null;
        }
        return owners[slot];
    }

    int inUse() {
        return inUse;
    }
}
