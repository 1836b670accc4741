package io.iocp4j;

import java.time.Duration;

/**
 * What a shutdown did.
 *
 * @param connectionsClosed    connections that were open when it began, or arrived during it
 * @param closedAtDeadline     of those, the ones still sending when the grace period ran out, closed at once
 * @param leasesOutstanding    buffer leases not back in the pool afterwards: 0 unless something leaked
 * @param staleCompletions     completions that arrived for a slot's earlier tenant during the whole run
 * @param took                 how long the shutdown took
 */
public record ShutdownReport(int connectionsClosed, int closedAtDeadline, long leasesOutstanding,
                             long staleCompletions, Duration took) {
}
