package io.iocp4j.internal.engine;

import io.iocp4j.LeakReport;
import io.iocp4j.ServerStats;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.internal.accept.AdmissionPolicy;
import io.iocp4j.internal.balance.Placement;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.internal.connection.Traffic;
import io.iocp4j.internal.events.ConnectionClosedEvent;
import io.iocp4j.internal.memory.MemoryBudget;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's counts beside those its connections keep: connections made, those released since the shutdown began,
 * closes by reason, and where each live connection was opened when leak tracking is on; and the reports made of
 * them with the other parts' own counts. Thread-safe.
 */
final class Statistics {
    private final BufferPool pool;
    private final CompletionPort[] ports;
    private final ConnectionTable table;
    private final ConnectionRegistry registry;
    private final Traffic traffic;
    private final Placement placement;
    private final LongAdder connectionsTotal = new LongAdder();
    /** Connections released since the shutdown began: open then, or arrived while the listeners closed. */
    private final LongAdder releasedInShutdown = new LongAdder();
    private final CloseCounts closeCounts = new CloseCounts();
    /**
     * Where each live connection was opened, when leak tracking is on (empty otherwise): kept here rather than in
     * every connection, since only leak reports read it.
     */
    private final Map<RealConnection, Throwable> openSites = new ConcurrentHashMap<>();

    Statistics(BufferPool pool, CompletionPort[] ports, ConnectionTable table, ConnectionRegistry registry,
               Traffic traffic, Placement placement) {
        this.pool = pool;
        this.ports = ports;
        this.table = table;
        this.registry = registry;
        this.traffic = traffic;
        this.placement = placement;
    }

    /** A connection was registered; {@code site}, where it was opened, or null. */
    void opened(RealConnection connection, Throwable site) {
        if (site != null) {
            openSites.put(connection, site);
        }
        connectionsTotal.increment();
    }

    /** Port thread, as the connection is released, before its slot is freed. */
    void releasing(RealConnection connection, boolean shuttingDown) {
        if (shuttingDown) {
            // Counted before the slot is freed: the shutdown reads the count once the table is empty.
            releasedInShutdown.increment();
        }
        openSites.remove(connection);
    }

    /** Port thread, once the slot is free, so that whoever sees the count sees the connection gone from every total. */
    void released(RealConnection connection) {
        closeCounts.count(connection.closeReason());
        ConnectionClosedEvent.emit(connection.id(), connection.remoteAddress(), connection.closeReason(),
                connection.bytesIn(), connection.bytesOut(), connection.startNanos());
    }

    long connectionsTotal() {
        return connectionsTotal.sum();
    }

    long releasedInShutdown() {
        return releasedInShutdown.sum();
    }

    ServerStats stats(AdmissionPolicy admission, MemoryBudget partialFrames, MemoryBudget sends) {
        return new ServerStats(table.inUse(), registry.peak(), connectionsTotal(), admission.accepted(),
                admission.rejected(), traffic.bytesReceived(), traffic.bytesSent(), registry.packetsIn(),
                registry.packetsOut(), staleCompletions(), placement.migrations(), placement.portStats(),
                closeCounts.snapshot(), partialFrames.used(), sends.used());
    }

    /** Completions that arrived for a connection or socket already gone, counted by the table and the ports. */
    long staleCompletions() {
        long stale = table.staleCompletions();
        for (CompletionPort port : ports) {
            stale += port.staleCompletions();
        }
        return stale;
    }

    /** Receive buffers the ports hold now: lent out with received bytes, or waiting in reads. */
    int receiveBuffersHeld() {
        int held = 0;
        for (CompletionPort port : ports) {
            held += port.receiveBuffersHeld();
        }
        return held;
    }

    /** The leases and connections held now, with where they were taken when leak tracking is on. */
    LeakReport leaks() {
        List<RealConnection> held = table.snapshot();
        List<Throwable> connectionSites = new ArrayList<>();
        for (RealConnection connection : held) {
            Throwable site = openSites.get(connection);
            if (site != null) {
                connectionSites.add(site);
            }
        }
        return new LeakReport(pool.leasesOutstanding(), pool.outstandingLeaseSites(), held.size(), connectionSites);
    }
}
