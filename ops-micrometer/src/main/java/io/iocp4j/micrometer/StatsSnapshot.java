package io.iocp4j.micrometer;

import io.iocp4j.Server;
import io.iocp4j.ServerStats;

/**
 * A server's stats, taken again only when the last ones are older than {@link #MAX_AGE_NANOS}: the meters of one
 * scrape read them one after another, and taking them walks every connection.
 */
final class StatsSnapshot {
    static final long MAX_AGE_NANOS = 100_000_000L;

    private final Server server;
    private ServerStats stats;
    private long takenNanos;

    StatsSnapshot(Server server) {
        this.server = server;
    }

    synchronized ServerStats get() {
        long now = System.nanoTime();
        if (stats == null || now - takenNanos > MAX_AGE_NANOS) {
            stats = server.stats();
            takenNanos = now;
        }
        return stats;
    }
}
