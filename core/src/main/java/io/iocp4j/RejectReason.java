package io.iocp4j;

/** Why a server turned a connection away as it was accepted; counted in {@link ServerStats#rejected()}. */
public enum RejectReason {
    /** The peer's address is in the {@link BanList}. Closed before a byte was read or sent. */
    BANNED,
    /** The accept filter said no. Closed before a byte was read or sent. */
    FILTERED,
    /** The peer's address already had {@code maxConnectionsPerAddress} connections. Closed at once. */
    PER_ADDRESS_LIMIT,
    /**
     * {@code maxConnections} were open: the connection went to {@link Handler#onOverLimit} for a last word, then
     * was closed.
     */
    CONNECTION_LIMIT,
    /** The connection table had no free slot. Closed at once. */
    TABLE_FULL
}
