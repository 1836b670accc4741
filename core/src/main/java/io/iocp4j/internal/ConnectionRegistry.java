package io.iocp4j.internal;

import io.iocp4j.ConnectionInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live connections by id, the peak count, and the packet totals of connections already gone. Connections join as
 * they are adopted and leave as they are released, each once; look-ups from any thread take no lock.
 */
final class ConnectionRegistry {
    private final ConcurrentHashMap<Long, RealConnection> byId = new ConcurrentHashMap<>();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final LongAdder closedPacketsIn = new LongAdder();
    private final LongAdder closedPacketsOut = new LongAdder();

    void add(RealConnection connection) {
        byId.put(connection.id(), connection);
        int now = live.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    /** Port thread, as the connection is released: its final counts join the totals. */
    void remove(RealConnection connection) {
        closedPacketsIn.add(connection.packetsIn());
        closedPacketsOut.add(connection.packetsOut());
        byId.remove(connection.id());
        live.decrementAndGet();
    }

    RealConnection get(long id) {
        return byId.get(id);
    }

    Collection<RealConnection> all() {
        return byId.values();
    }

    int peak() {
        return peak.get();
    }

    long packetsIn() {
        long total = closedPacketsIn.sum();
        for (RealConnection connection : byId.values()) {
            total += connection.packetsIn();
        }
        return total;
    }

    long packetsOut() {
        long total = closedPacketsOut.sum();
        for (RealConnection connection : byId.values()) {
            total += connection.packetsOut();
        }
        return total;
    }

    List<ConnectionInfo> snapshot() {
        long now = System.nanoTime();
        List<ConnectionInfo> infos = new ArrayList<>(live.get());
        for (RealConnection connection : byId.values()) {
            if (connection.state() != RealConnection.RELEASED) {
                infos.add(connection.info(now));
            }
        }
        infos.sort((a, b) -> Long.compare(a.id(), b.id()));
        return infos;
    }

    static Duration age(long startNanos, long now) {
        return Duration.ofNanos(Math.max(0, now - startNanos));
    }
}
