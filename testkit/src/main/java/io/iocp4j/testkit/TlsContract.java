package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsKeys;
import io.iocp4j.tls.TlsSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS as a byte stage, against the JDK's own TLS client and against iocp4j's client: both versions, every record
 * boundary, SNI, ALPN, client certificates, keys reloaded under traffic, and every bad start (plaintext, an
 * untrusted certificate, a stalled handshake) ending only its connection. Every test ends with every lease back and
 * every connection ended once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class TlsContract extends ContractSupport {
    private static Path certificates;
    private static TestCertificates.Issued localhost;
    private static TestCertificates.Issued other;
    private static TestCertificates.Issued stranger;
    private static TestCertificates.Issued clientCertificate;

    @BeforeAll
    static void issueCertificates() throws Exception {
        if (certificates == null) {
            certificates = Files.createTempDirectory("iocp4j-tls");
            localhost = TestCertificates.localhost(certificates, "localhost");
            other = TestCertificates.issue(certificates, "other", "other.test", "dns:other.test", "RSA");
            stranger = TestCertificates.localhost(certificates, "stranger");
            clientCertificate = TestCertificates.issue(certificates, "client", "a client", null, "EC");
        }
    }

    private Server tlsServer(TlsSettings settings) throws IOException {
        return start(serverBuilder(LedgerHandler.echo(serverLedger), 2)
                .pipeline(Pipeline.of(FRAMING, Tls.server(settings))));
    }

    private static TlsSettings.Builder serverSettings() throws Exception {
        return TlsSettings.server(TlsKeys.pem(localhost.certificatePem(), localhost.keyPem()));
    }

    @Test
    void theJdksClientEchoesFramesAcrossEveryRecordBoundaryOnTls13And12() throws Exception {
        Server server = tlsServer(serverSettings().build());
        Random random = new Random(1);
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            try (TlsPeer peer = TlsPeer.connect(server.localAddress(),
                    TlsPeer.Options.trusting(localhost.certificatePem()).protocol(version))) {
                assertEquals(version, peer.socket().getSession().getProtocol());
                for (int size : new int[] {1, 16_383, 16_384, 16_385, 100_000, (1 << 20) - 1}) {
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    peer.send(payload);
                    assertArrayEquals(payload, peer.receive(), version + ", " + size + " bytes");
                }
            }
        }
        assertTrue(serverLedger.awaitDisconnects(2, 10, TimeUnit.SECONDS));
        assertEquals(0, server.stats().closed(CloseReason.TLS_FAILED), () -> "errors: " + serverLedger.errors());
    }

    @Test
    void iocp4jsClientAndServerAgreeOnAlpnAndTheSessionIsThereBeforeOnConnect() throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger).whenConnected(connection ->
                        serverSaw.complete(Tls.session(connection).getProtocol() + " "
                                + Tls.applicationProtocol(connection))), 2)
                .pipeline(Pipeline.of(FRAMING, Tls.server(serverSettings()
                        .applicationProtocols("iocp4j/2", "iocp4j/1").build()))));
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        CompletableFuture<String> clientSaw = new CompletableFuture<>();
        TlsSettings clientSettings = TlsSettings.client().trust(localhost.certificatePem())
                .applicationProtocols("iocp4j/1").build();
        Client client = start(clientBuilder(new LedgerHandler(clientLedger, (connection, packet) -> {
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            echoed.complete(bytes);
        }).whenConnected(connection -> clientSaw.complete(Tls.applicationProtocol(connection))))
                .pipeline(Pipeline.of(FRAMING, Tls.client(clientSettings, "localhost"))));
        Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
        connection.send(ByteBuffer.wrap(new byte[] {4, 2}));
        try {
            echoed.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no echo: " + clientLedger.errors() + " / " + serverLedger.errors()
                    + " connected " + clientLedger.connectCount() + "/" + serverLedger.connectCount());
        }
        assertArrayEquals(new byte[] {4, 2}, echoed.get(10, TimeUnit.SECONDS));
        assertEquals("TLSv1.3 iocp4j/1", serverSaw.get(10, TimeUnit.SECONDS));
        assertEquals("iocp4j/1", clientSaw.get(10, TimeUnit.SECONDS));
        connection.closeAfterFlush();
        assertTrue(clientLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
    }

    @Test
    void plaintextToATlsPortEndsOnlyThatConnection() throws Exception {
        Server server = tlsServer(serverSettings().build());
        try (TlsPeer good = TlsPeer.connect(server.localAddress(), TlsPeer.Options.trusting(localhost.certificatePem()));
             FrameSocket plain = new FrameSocket(server.localAddress())) {
            plain.send("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertTrue(readsToTheEnd(plain.socket()), "the plaintext connection is ended");
            good.send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, good.receive(), "the TLS connection goes on");
        }
        waitUntil(() -> server.stats().closed(CloseReason.TLS_FAILED) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.TLS_FAILED));
        assertTrue(serverLedger.errors().stream().anyMatch(SSLException.class::isInstance), serverLedger.errors()
                .toString());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedAndSaysWhy() throws Exception {
        Server server = tlsServer(serverSettings().build());
        TlsSettings distrusting = TlsSettings.client().trust(stranger.certificatePem()).build();
        Client client = start(clientBuilder(LedgerHandler.echo(clientLedger))
                .pipeline(Pipeline.of(FRAMING, Tls.client(distrusting, "localhost"))));
        client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
        waitUntil(() -> !clientLedger.errors().isEmpty(), 10);
        assertTrue(clientLedger.errors().stream().anyMatch(e -> e instanceof SSLException
                && e.getMessage().contains("PKIX")), () -> "the client hears why: " + clientLedger.errors());
        assertEquals(0, clientLedger.connectCount(), "the client's handler never heard onConnect");
        assertEquals(0, clientLedger.disconnectCount(), "nor onDisconnect");
        waitUntil(() -> server.stats().closed(CloseReason.TLS_FAILED) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.TLS_FAILED), "the server hears the alert");
        assertEquals(0, serverLedger.connectCount(), "the server's handler never heard of it");
    }

    @Test
    void aHandshakeThatStallsEndsAtItsTimeout() throws Exception {
        Server server = tlsServer(serverSettings().handshakeTimeout(Duration.ofMillis(500)).build());
        try (FrameSocket silent = new FrameSocket(server.localAddress())) {
            assertTrue(readsToTheEnd(silent.socket()), "ended by the server");
        }
        waitUntil(() -> server.stats().closed(CloseReason.TLS_FAILED) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.TLS_FAILED));
        assertTrue(serverLedger.errors().stream().anyMatch(e -> e.getMessage().contains("did not finish within")),
                serverLedger.errors().toString());
    }

    @Test
    void sniPicksTheCertificateByTheNameTheClientAsksFor() throws Exception {
        Server server = tlsServer(serverSettings()
                .serverName("other.test", TlsKeys.pem(other.certificatePem(), other.keyPem())).build());
        try (TlsPeer named = TlsPeer.connect(server.localAddress(),
                TlsPeer.Options.trusting(other.certificatePem()).serverName("other.test"));
             TlsPeer plain = TlsPeer.connect(server.localAddress(),
                     TlsPeer.Options.trusting(localhost.certificatePem()))) {
            assertEquals("CN=other.test", named.serverCertificate().getSubjectX500Principal().getName());
            assertEquals("CN=localhost", plain.serverCertificate().getSubjectX500Principal().getName());
            named.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, named.receive());
        }
    }

    @Test
    void mutualTlsServesATrustedClientAndRefusesOthers() throws Exception {
        Server server = tlsServer(serverSettings().clientAuth(TlsSettings.ClientAuth.REQUIRED)
                .trust(clientCertificate.certificatePem()).build());
        try (TlsPeer trusted = TlsPeer.connect(server.localAddress(),
                TlsPeer.Options.trusting(localhost.certificatePem()).clientKeystore(clientCertificate.keystore()))) {
            trusted.send(new byte[] {3});
            assertArrayEquals(new byte[] {3}, trusted.receive());
        }
        // In TLS 1.3 the client finishes first and learns of the refusal when it reads.
        assertThrows(IOException.class, () -> {
            try (TlsPeer anonymous = TlsPeer.connect(server.localAddress(),
                    TlsPeer.Options.trusting(localhost.certificatePem()))) {
                anonymous.send(new byte[] {3});
                anonymous.receive();
            }
        });
        waitUntil(() -> server.stats().closed(CloseReason.TLS_FAILED) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.TLS_FAILED));
    }

    @Test
    void reloadedKeysServeNewHandshakesWhileOpenConnectionsGoOn() throws Exception {
        Path directory = Files.createTempDirectory(certificates, "reload");
        Path certificate = Files.copy(localhost.certificatePem(), directory.resolve("server.crt"));
        Path key = Files.copy(localhost.keyPem(), directory.resolve("server.key"));
        TlsKeys keys = TlsKeys.pem(certificate, key);
        List<Exception> failures = new ArrayList<>();
        keys.onReloadFailure(failures::add);
        Server server = tlsServer(TlsSettings.server(keys).build());
        try (TlsPeer before = TlsPeer.connect(server.localAddress(),
                TlsPeer.Options.trusting(localhost.certificatePem()))) {
            // A broken file is reported and the keys in use stay.
            Files.writeString(key, "not a key");
            touch(key, 1);
            assertTrue(!keys.reloadIfChanged() && failures.size() == 1, failures.toString());
            Files.copy(stranger.certificatePem(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(stranger.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
            touch(certificate, 2);
            touch(key, 2);
            assertTrue(keys.reloadIfChanged(), "the new keys are read");
            try (TlsPeer after = TlsPeer.connect(server.localAddress(),
                    TlsPeer.Options.trusting(stranger.certificatePem()))) {
                assertNotEquals(before.serverCertificate(), after.serverCertificate());
                after.send(new byte[] {2});
                assertArrayEquals(new byte[] {2}, after.receive());
            }
            before.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, before.receive(), "the open connection keeps its session");
        }
    }

    @Test
    void aFileRequestedOverTlsIsRefusedNeverSentInTheClear() throws Exception {
        Path served = Files.createTempDirectory(certificates, "served");
        Files.writeString(served.resolve("secret.txt"), "not in the clear");
        Server server = start(serverBuilder(new LedgerFileHandler(LedgerHandler.echo(serverLedger),
                new io.iocp4j.file.FileStore(served, Long.MAX_VALUE)), 2)
                .pipeline(Pipeline.of(FRAMING, Tls.server(serverSettings().build()))));
        try (TlsPeer peer = TlsPeer.connect(server.localAddress(),
                TlsPeer.Options.trusting(localhost.certificatePem()))) {
            byte[] name = "secret.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // FILE_GET (0x14): the name's length in two bytes, then the name.
            peer.send(ByteBuffer.allocate(3 + name.length).put((byte) 0x14).putShort((short) name.length).put(name)
                    .array());
            byte[] answer = peer.receive();
            assertEquals(0x12, answer[0], "FILE_REJECT");
            assertEquals(io.iocp4j.file.FileRejectCode.IO_ERROR, ByteBuffer.wrap(answer, 1, 2).getShort());
            peer.send(new byte[] {9});
            assertArrayEquals(new byte[] {9}, peer.receive(), "the connection goes on, encrypted");
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedWhenRead() {
        java.security.GeneralSecurityException refused = assertThrows(java.security.GeneralSecurityException.class,
                () -> TlsKeys.pem(localhost.certificatePem(), stranger.keyPem()));
        assertTrue(refused.getMessage().contains("not the one of the certificate for CN=localhost"),
                refused.getMessage());
    }

    @Test
    void manyConnectionsHandshakeAndEchoAtOnce() throws Exception {
        Server server = tlsServer(serverSettings().build());
        int peers = 200;
        ExecutorService threads = Executors.newFixedThreadPool(50);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int p = 0; p < peers; p++) {
                int seed = p;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    try (TlsPeer peer = TlsPeer.connect(server.localAddress(),
                            TlsPeer.Options.trusting(localhost.certificatePem()))) {
                        for (int round = 0; round < 10; round++) {
                            byte[] payload = new byte[1 + random.nextInt(40_000)];
                            random.nextBytes(payload);
                            peer.send(payload);
                            assertArrayEquals(payload, peer.receive());
                        }
                    }
                    return 10;
                }));
            }
            int echoed = 0;
            for (Future<Integer> result : results) {
                echoed += result.get(120, TimeUnit.SECONDS);
            }
            assertEquals(peers * 10, echoed);
        } finally {
            threads.shutdownNow();
        }
        assertTrue(serverLedger.awaitDisconnects(peers, 30, TimeUnit.SECONDS));
    }

    private static void touch(Path file, int secondsAhead) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
    }

    /** Reads until the end of the stream or a reset: true when the server ended the connection. */
    private static boolean readsToTheEnd(Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        byte[] sink = new byte[4096];
        try {
            while (socket.getInputStream().read(sink) >= 0) {
                // An alert may come first.
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
