package io.iocp4j.bench.load;

import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.bench.peer.EchoPeer;
import io.iocp4j.bench.run.Measurement;
import io.iocp4j.bench.tls.BenchTls;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsKeys;
import io.iocp4j.tls.TlsSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TLS flavour of the Java generator, in this JVM, briefly against the TLS echo peers: each mode completes
 * messages or handshakes (every byte of every echo is compared with what was sent, so a count above 0 means they came
 * back whole), the server agreed on TLS 1.3 and the one cipher suite, and a byte changed inside a read is caught.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsLoadGeneratorTest {
    @TempDir
    static Path certificates;

    @BeforeAll
    static void issueTheCertificate() throws Exception {
        BenchTls.in(certificates);
    }

    @ParameterizedTest(name = "{0} {1}: {2} connections, {3} B, {4} in flight")
    @CsvSource({
            "iocp4j-uring-tls, PING_PONG, 4, 64, 1",
            "iocp4j-uring-tls, PIPELINE, 2, 4096, 16",
            "iocp4j-uring-tls, HANDSHAKES, 3, 64, 1",
            "iocp4j-nio2-tls, PING_PONG, 4, 64, 1",
            "iocp4j-nio2-tls, PIPELINE, 2, 4096, 16",
            "iocp4j-nio2-tls, HANDSHAKES, 3, 64, 1"})
    void echoesEveryByteInEachModeAgainstIocp4j(String server, LoadGenerator.Mode mode, int connections, int size,
                                                int depth) throws Exception {
        assumeTrue(!server.contains("uring") || Transport.URING.unavailableReason().isEmpty(),
                "io_uring is not available here");
        Map<String, Double> result = load(server, mode, connections, size, depth);

        assertEquals(connections, result.get("connections"));
        if (mode == LoadGenerator.Mode.HANDSHAKES) {
            assertTrue(result.get("handshakes") > 0, "handshakes completed: " + result);
            assertTrue(result.get("handshakesPerSec") > 0, result.toString());
        } else {
            assertTrue(result.get("messages") > 0, "echoes came back: " + result);
            double mbPerSec = result.get("messages") * size / result.get("seconds") / 1e6;
            // Within what the seconds' three printed decimals leave.
            assertEquals(mbPerSec, result.get("mbPerSec"), mbPerSec * 0.01 + 0.01, "bytes agree with messages: "
                    + result);
        }
        assertTrue(result.get("p99us") >= result.get("p50us") && result.get("p50us") > 0, result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty-io_uring-tls", "netty-io_uring-tls-openssl"})
    void nettysTlsPeersAgreeOnTheSameSuiteAndEcho(String server) throws Exception {
        Map<String, Double> pingPong = load(server, LoadGenerator.Mode.PING_PONG, 2, 64, 1);
        Map<String, Double> handshakes = load(server, LoadGenerator.Mode.HANDSHAKES, 2, 64, 1);

        assertTrue(pingPong.get("messages") > 0, pingPong.toString());
        assertTrue(handshakes.get("handshakes") > 0, handshakes.toString());
    }

    @Test
    void aByteChangedInsideAReadIsCaught() throws Exception {
        BenchTls.Certificate certificate = BenchTls.in(certificates);
        TlsSettings settings = TlsSettings.server(TlsKeys.pem(certificate.certificatePem(), certificate.keyPem()))
                .protocols(BenchTls.PROTOCOL).cipherSuites(BenchTls.CIPHER_SUITE).build();
        // Echoes each chunk with its last byte changed: the first byte of every read stays right.
        Server corrupting = Server.builder().bind("127.0.0.1", 0).transport(Transport.NIO2).ioThreads(1)
                .pipeline(Pipeline.of(Framing.none(), Tls.server(settings)))
                .handler((connection, packet) -> {
                    if (packet.remaining() > 1) {
                        packet.put(packet.limit() - 1, (byte) (packet.get(packet.limit() - 1) + 1));
                    }
                    connection.send(packet);
                })
                .start();
        try {
            LoadGenerator.Settings load = new LoadGenerator.Settings(corrupting.localAddress().getPort(),
                    LoadGenerator.Mode.PING_PONG, 1, 64, 1, 100, 300, 0, 0, certificates);

            Exception refused = assertThrows(Exception.class, () -> LoadGenerator.result(load));

            assertTrue(String.valueOf(refused.getMessage()).contains("echo differs at byte 63"),
                    "names the byte: " + refused);
        } finally {
            corrupting.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void handshakesNeedTls() {
        assertThrows(IllegalArgumentException.class, () -> new LoadGenerator.Settings(1, LoadGenerator.Mode.HANDSHAKES,
                1, 64, 1, 0, 100, 0, 0));
    }

    private static Map<String, Double> load(String server, LoadGenerator.Mode mode, int connections, int size,
                                            int depth) throws Exception {
        try (EchoPeer peer = EchoPeer.named(server, certificates)) {
            int port = peer.start(0, 1);
            String line = LoadGenerator.result(new LoadGenerator.Settings(port, mode, connections, size, depth, 200,
                    500, 0, ProcessHandle.current().pid(), certificates));
            assertTrue(line.contains(" tls=TLSv1.3/TLS_AES_128_GCM_SHA256 "), line);
            return Measurement.parseResult(line);
        }
    }
}
