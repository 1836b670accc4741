package io.iocp4j.testkit;

import io.iocp4j.Server;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsKeys;
import io.iocp4j.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of TLS connection lifetimes, each ended at a random moment: reset inside the ClientHello, before the
 * handshake ends, right after it, inside a record the client was sending, or closed in good order after an echo.
 * Then: every TLS stage released exactly once, every connection the handler heard of ended once, every lease back.
 * The count can be changed with {@code -Diocp4j.tlsChaos.lifetimes=N}.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
public abstract class TlsChaosContract extends ContractSupport {
    private static final int LIFETIMES = Integer.getInteger("iocp4j.tlsChaos.lifetimes", 10_000);
    private final StageLedger stages = new StageLedger();

    @Test
    void tlsLifetimesEndedAtRandomMomentsLeaveNothingBehind() throws Exception {
        Path directory = Files.createTempDirectory("iocp4j-tls-chaos");
        TestCertificates.Issued certificate = TestCertificates.localhost(directory, "chaos");
        TlsSettings settings = TlsSettings.server(TlsKeys.pem(certificate.certificatePem(), certificate.keyPem()))
                .handshakeTimeout(Duration.ofSeconds(5)).build();
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2)
                .pipeline(Pipeline.of(FRAMING, LedgeredStage.counting(Tls.server(settings), stages))));
        byte[] clientHello = clientHello();
        PeerRounds.run(8, LIFETIMES, Duration.ofSeconds(480), (n, random) ->
                oneLifetime(server.localAddress(), certificate, clientHello, random));
        waitUntil(() -> stages.releasedCount() == LIFETIMES, 30);
        assertEquals(LIFETIMES, stages.made(), "a stage for every connection");
        assertEquals(LIFETIMES, stages.releasedCount(), "every stage released");
        stages.assertEachReleasedOnce();
        assertTrue(serverLedger.awaitAllDisconnected(30, TimeUnit.SECONDS), "every connection heard of ended");
        awaitPoolEmpty(server);
        assertEquals(0, server.connectionCount(), "slots in use");
    }

    private static void oneLifetime(InetSocketAddress address, TestCertificates.Issued certificate,
                                    byte[] clientHello, Random random) throws Exception {
        switch (random.nextInt(5)) {
            case 0 -> {
                // Reset inside the ClientHello.
                try (Socket socket = new Socket()) {
                    socket.connect(address, 10_000);
                    socket.getOutputStream().write(clientHello, 0, random.nextInt(clientHello.length));
                    reset(socket);
                }
            }
            case 1 -> {
                // A whole ClientHello, then gone before the server's answer is read.
                try (Socket socket = new Socket()) {
                    socket.connect(address, 10_000);
                    socket.getOutputStream().write(clientHello);
                    if (random.nextBoolean()) {
                        reset(socket);
                    }
                }
            }
            default -> {
                try (TlsPeer peer = TlsPeer.connect(address, TlsPeer.Options.trusting(certificate.certificatePem()))) {
                    int ending = random.nextInt(3);
                    if (ending == 0) {
                        reset(peer.socket());
                        return;
                    }
                    byte[] payload = new byte[1 + random.nextInt(40_000)];
                    random.nextBytes(payload);
                    peer.send(payload);
                    if (ending == 1) {
                        // Gone while the echo's records are on their way.
                        reset(peer.socket());
                        return;
                    }
                    assertArrayEquals(payload, peer.receive());
                }
            }
        }
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** A real ClientHello, as the JDK's client makes it. */
    private static byte[] clientHello() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        return Arrays.copyOfRange(out.array(), 0, out.limit());
    }
}
