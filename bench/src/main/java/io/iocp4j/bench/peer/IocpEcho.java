package io.iocp4j.bench.peer;

import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** iocp4j's own raw echo: no framing, each received chunk sent straight back, handler on the I/O thread. */
final class IocpEcho implements EchoPeer {
    private final Transport transport;
    private Server server;

    IocpEcho(Transport transport) {
        this.transport = transport;
    }

    @Override
    public int start(int port, int ioThreads) throws IOException {
        server = Server.builder()
                .bind("127.0.0.1", port)
                .transport(transport)
                .ioThreads(ioThreads)
                .framing(Framing.none())
                .handler(new Echo())
                .start();
        return server.localAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    private static final class Echo implements Handler {
        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
            connection.send(packet);
        }
    }
}
