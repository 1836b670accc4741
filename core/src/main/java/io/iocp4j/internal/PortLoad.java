package io.iocp4j.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * How many connections each port of an engine carries, and which port a new outgoing connection goes to: the one
 * with the fewest, ties broken round-robin. Counts change on the port threads; any thread may choose.
 */
final class PortLoad {
    private final AtomicIntegerArray connections;
    /** Where the next search starts, so ties rotate. Guarded by this. */
    private int next;

    PortLoad(int ports) {
        connections = new AtomicIntegerArray(ports);
    }

    void added(int port) {
        connections.incrementAndGet(port);
    }

    void removed(int port) {
        connections.decrementAndGet(port);
    }

    synchronized int leastLoaded() {
        int ports = connections.length();
        int best = next;
        for (int i = 1; i < ports; i++) {
            int candidate = (next + i) % ports;
            if (connections.get(candidate) < connections.get(best)) {
                best = candidate;
            }
        }
        next = (best + 1) % ports;
        return best;
    }
}
