package io.iocp4j.stage;

import io.iocp4j.Connection;

import java.net.InetAddress;

/** Makes a connection's own instance of a stage, at accept or connect, on the connection's I/O thread. */
@FunctionalInterface
public interface StageFactory {
    ByteStage newStage(Connection connection);

    /**
     * True when this stage will name the real peer of a connection from {@code peer} (a PROXY header from a
     * trusted load balancer, see {@link StageContext#peerIs}): the server's per-address limit then counts the peer
     * it names, not {@code peer}, which speaks for many clients.
     */
    default boolean namesThePeerOf(InetAddress peer) {
        return false;
    }
}
