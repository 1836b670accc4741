package io.iocp4j.job;

/**
 * What order a connection's packets are handled in when handlers run on the job pool. With no pool (zero workers)
 * every handler call runs on the connection's I/O thread, one at a time, and the ordering does not matter.
 */
public enum Ordering {
    /**
     * One connection's packets are handled one at a time, in arrival order, possibly on different workers;
     * different connections are handled in parallel.
     */
    PER_CONNECTION,
    /**
     * One connection's packets may be handled in parallel on several workers, but what each handler sends while it
     * handles packet k goes to the socket only after everything sent for packets before k. A slow packet holds back
     * the later replies of its own connection only.
     */
    ORDERED_REPLIES,
    /** No promise: packets are handled in parallel and replies go out as they are made. */
    UNORDERED
}
