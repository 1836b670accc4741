package io.iocp4j.bench.peer;

import io.iocp4j.bench.tls.BenchTls;

import java.nio.file.Path;

/**
 * One raw TCP echo server under test: every byte it receives goes back unchanged on the same connection (for a TLS
 * peer, every byte of application data).
 */
public interface EchoPeer extends AutoCloseable {
    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port      the port, or 0 for any free one
     * @param ioThreads how many threads do the I/O (the event loops, completion threads or carriers)
     * @return the port it listens on
     */
    int start(int port, int ioThreads) throws Exception;

    @Override
    void close() throws Exception;

    /** The peer of that name, one of {@link EchoPeers#NAMES} or {@link EchoPeers#TLS_NAMES}. */
    static EchoPeer named(String name) {
        return named(name, BenchTls.defaultDirectory());
    }

    /** The peer of that name; a TLS peer uses the bench certificate in {@code tlsDirectory}. */
    static EchoPeer named(String name, Path tlsDirectory) {
        return EchoPeers.create(name, tlsDirectory);
    }
}
