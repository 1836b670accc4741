package io.iocp4j.bench.peer;

/** One raw TCP echo server under test: every byte it receives goes back unchanged on the same connection. */
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

    /** The peer of that name, one of {@link EchoPeers#NAMES}. */
    static EchoPeer named(String name) {
        return EchoPeers.create(name);
    }
}
