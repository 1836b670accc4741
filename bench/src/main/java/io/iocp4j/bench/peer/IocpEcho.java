package io.iocp4j.bench.peer;

import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.bench.tls.BenchTls;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsKeys;
import io.iocp4j.tls.TlsSettings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * iocp4j's own raw echo: no framing, each received chunk sent straight back, handler on the I/O thread; with TLS, the
 * TLS stage in front of it (TLS 1.3, {@link BenchTls#CIPHER_SUITE} alone).
 */
final class IocpEcho implements EchoPeer {
    private final Transport transport;
    /** The bench certificate's directory for TLS; null for plain TCP. */
    private final Path tlsDirectory;
    private Server server;

    private IocpEcho(Transport transport, Path tlsDirectory) {
        this.transport = transport;
        this.tlsDirectory = tlsDirectory;
    }

    static IocpEcho plain(Transport transport) {
        return new IocpEcho(transport, null);
    }

    static IocpEcho tls(Transport transport, Path tlsDirectory) {
        return new IocpEcho(transport, tlsDirectory);
    }

    @Override
    public int start(int port, int ioThreads) throws Exception {
        server = Server.builder()
                .bind("127.0.0.1", port)
                .transport(transport)
                .ioThreads(ioThreads)
                .pipeline(pipeline())
                .handler(new Echo())
                .start();
        return server.localAddress().getPort();
    }

    private Pipeline pipeline() throws IOException, GeneralSecurityException, InterruptedException {
        if (tlsDirectory == null) {
            return Pipeline.of(Framing.none());
        }
        BenchTls.Certificate certificate = BenchTls.in(tlsDirectory);
        TlsSettings settings = TlsSettings.server(TlsKeys.pem(certificate.certificatePem(), certificate.keyPem()))
                .protocols(BenchTls.PROTOCOL)
                .cipherSuites(BenchTls.CIPHER_SUITE)
                .build();
        return Pipeline.of(Framing.none(), Tls.server(settings));
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
