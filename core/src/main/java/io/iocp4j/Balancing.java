package io.iocp4j;

/**
 * How a server or client with several I/O threads picks the port (the I/O thread) a new connection lives on.
 * Whatever the choice, a running rebalancer may later move connections between ports by their measured load.
 */
public enum Balancing {
    /** Each port in turn. */
    ROUND_ROBIN,
    /** The port with the fewest connections. */
    LEAST_CONNECTIONS,
    /**
     * The port with the least measured load (bytes and packets per second, as a decaying average), counting the
     * connections given to it since its last measurement; ties go to the port with fewer connections.
     */
    LEAST_LOAD
}
