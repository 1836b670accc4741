package io.iocp4j;

import java.util.List;
import java.util.Map;

/**
 * A server's counters at one moment. Each figure is read on its own, so while connections come and go the figures
 * need not add up to the same instant.
 *
 * @param connectionsNow    connections open now, or closing and awaiting their last completion
 * @param connectionsPeak   the most connections open at once since the start
 * @param connectionsTotal  connections accepted since the start, those over the limit included
 * @param accepted          connections admitted (over the limit ones not included)
 * @param rejected          connections turned away, by reason (every reason present, 0 when none)
 * @param bytesIn           bytes received
 * @param bytesOut          bytes sent
 * @param packetsIn         packets handed to handlers
 * @param packetsOut        packets (or raw sends) written out whole
 * @param staleCompletions  completions that arrived for a connection already gone, counted and ignored
 * @param migrations        open connections moved from one I/O thread to another
 * @param ports             each I/O thread's connections and load
 * @param closed            connections ended, by reason (every reason present, 0 when none)
 * @param partialFrameBytes memory held now in frames that have begun and not yet arrived whole, over all
 *                          connections (bounded by the partial-frame budget)
 * @param sendQueueBytes    memory held now in send queues, over all connections (bounded by the send budget)
 */
public record ServerStats(int connectionsNow, int connectionsPeak, long connectionsTotal, long accepted,
                          Map<RejectReason, Long> rejected, long bytesIn, long bytesOut, long packetsIn,
                          long packetsOut, long staleCompletions, long migrations, List<PortStats> ports,
                          Map<CloseReason, Long> closed, long partialFrameBytes, long sendQueueBytes) {
    public ServerStats {
        rejected = Map.copyOf(rejected);
        ports = List.copyOf(ports);
        closed = Map.copyOf(closed);
    }

    /** Connections ended for {@code reason}. */
    public long closed(CloseReason reason) {
        return closed.getOrDefault(reason, 0L);
    }

    /** Connections rejected for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejected.getOrDefault(reason, 0L);
    }
}
