package io.iocp4j;

import java.time.Duration;

/**
 * What a shutdown did.
 *
 * @param connectionsClosed connections that were open when it began, or arrived during it
 * @param closedAtDeadline  of those, the ones still sending when the grace period ran out, closed at once
 * @param bytesFlushed      bytes written to connections while the shutdown ran: the last replies and what was
 *                          queued before
 * @param sendsDropped      queued frames that were never written because their connection closed while the
 *                          shutdown ran, at the deadline or by the peer
 * @param leasesOutstanding buffer leases not back in the pool afterwards: 0 unless something leaked
 * @param staleCompletions  completions that arrived for a slot's earlier tenant during the whole run
 * @param took              how long the shutdown took
 * @param finished          false only for the report returned by a {@code shutdown} called on one of the server's
 *                          own threads (from a handler): such a call cannot wait for a shutdown that waits for its
 *                          thread, so it only begins it, and every count above is 0; {@code shutdownAsync} gives
 *                          the final report
 */
public record ShutdownReport(int connectionsClosed, int closedAtDeadline, long bytesFlushed, long sendsDropped,
                             long leasesOutstanding, long staleCompletions, Duration took, boolean finished) {

    /** The report of a shutdown begun from one of the server's own threads, which cannot wait for its end. */
    public static ShutdownReport begun() {
        return new ShutdownReport(0, 0, 0, 0, 0, 0, Duration.ZERO, false);
    }
}
