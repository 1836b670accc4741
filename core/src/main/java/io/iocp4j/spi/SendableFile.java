package io.iocp4j.spi;

/**
 * A file a transport opened so that its sockets can write from it inside the kernel
 * ({@link TransportSocket#writeFile}), its bytes never passing through user space. Whoever opened it closes it, on
 * the port thread and once no write from it is in flight, or on any thread if it was never written from.
 */
public interface SendableFile extends AutoCloseable {
    @Override
    void close();
}
