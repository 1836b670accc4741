/**
 * iocp4j: completion-port TCP servers and clients.
 * The public API lives in {@code io.iocp4j}; transports plug in through {@code io.iocp4j.spi}.
 */
module io.iocp4j {
    exports io.iocp4j;
    exports io.iocp4j.buffer;
    exports io.iocp4j.file;
    exports io.iocp4j.frame;
    exports io.iocp4j.job;
    exports io.iocp4j.proxy;
    exports io.iocp4j.spi;
    exports io.iocp4j.stage;
    exports io.iocp4j.tls;

    requires jdk.jfr;

    uses io.iocp4j.spi.TransportProvider;
}
