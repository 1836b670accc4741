package io.iocp4j.cli;

import io.iocp4j.Backoff;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.testkit.TestCertificates;
import io.iocp4j.testkit.TlsPeer;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo server with {@code --tls-cert} and {@code --tls-key}, as users run it: the program's own client,
 * the JDK's TLS client and openssl on the packet and chat ports, the raw echo port left plain, plaintext and
 * distrust ending only their own connections, a bad key file on reload said in one line, a balancer's PROXY header
 * read before TLS; and the library's client against {@code openssl s_server}. Each transport runs it through a
 * subclass naming the transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsDemoEndToEnd {
    private static final String HELLO = "hello over tls";
    /** The content type of a TLS alert record. */
    private static final byte ALERT = 0x15;
    private Path certificates;
    private TestCertificates.Issued localhost;
    private TestCertificates.Issued stranger;
    private ServerProcess server;

    /** The value of {@code --transport} under test. */
    protected abstract String transport();

    @BeforeAll
    void startServer() throws Exception {
        certificates = Files.createTempDirectory("iocp4j-tls-demo");
        localhost = TestCertificates.localhost(certificates, "localhost");
        stranger = TestCertificates.localhost(certificates, "stranger");
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port",
                String.valueOf(DemoServerEndToEnd.freePort()), "--chat-port",
                String.valueOf(DemoServerEndToEnd.freePort()), "--tls-cert", localhost.certificatePem().toString(),
                "--tls-key", localhost.keyPem().toString(), "--transport", transport());
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (certificates != null) {
                try (Stream<Path> files = Files.walk(certificates)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    @Test
    void theReadyLineSaysTlsRightAfterTheTransport() {
        assertTrue(server.tls, server.readyLine);
        assertEquals("iocp4j server ready: packets on 127.0.0.1:" + server.packetPort + ", raw echo on 127.0.0.1:"
                + server.rawPort + ", chat on 127.0.0.1:" + server.chatPort + ", transport " + transport()
                + ", tls, 1 I/O thread", server.readyLine);
    }

    @Test
    void theProgramsClientEchoesALineTrustingTheCertificate() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run((HELLO + "\n").getBytes(StandardCharsets.UTF_8), "client",
                "--port", String.valueOf(server.packetPort), "--tls", "--ca", localhost.certificatePem().toString(),
                "--transport", transport());
        assertEquals(0, client.exitCode(), client.stderr());
        assertEquals(HELLO + "\n", client.stdout());
        assertFalse(client.stderr().contains("WARNING"), client.stderr());
    }

    @Test
    void insecureTrustsAnyCertificateAndSaysSoLoudly() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run((HELLO + "\n").getBytes(StandardCharsets.UTF_8), "client",
                "--port", String.valueOf(server.packetPort), "--tls", "--insecure", "--transport", transport());
        assertEquals(0, client.exitCode(), client.stderr());
        assertEquals(HELLO + "\n", client.stdout());
        List<String> warnings = client.stderr().lines().filter(line -> line.contains("WARNING")).toList();
        assertEquals(List.of("iocp4j: WARNING: --insecure: the server's certificate is not checked, so anyone "
                + "between here and the server can read and change this traffic"), warnings);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateSaysWhyAndTheServerServesOn() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run((HELLO + "\n").getBytes(StandardCharsets.UTF_8), "client",
                "--port", String.valueOf(server.packetPort), "--tls", "--ca", stranger.certificatePem().toString(),
                "--transport", transport());
        assertEquals(1, client.exitCode(), client.stderr());
        assertEquals("", client.stdout());
        assertTrue(client.stderr().startsWith("iocp4j: cannot connect to 127.0.0.1:" + server.packetPort
                + ": the TLS handshake failed: "), client.stderr());
        assertTrue(client.stderr().contains("PKIX"), client.stderr());
        assertEquals(1, client.stderr().lines().count(), client.stderr());
        assertEchoesOverTls("TLSv1.3");
    }

    @Test
    void theRawEchoPortStaysPlain() throws IOException {
        try (Socket plain = new Socket("127.0.0.1", server.rawPort)) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("plain bytes".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("plain bytes".getBytes(StandardCharsets.US_ASCII),
                    plain.getInputStream().readNBytes(11));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theJdksClientEchoesFramesOnThePacketPort(String version) throws Exception {
        assertEchoesOverTls(version);
    }

    @Test
    void plaintextToTheTlsPacketPortEndsOnlyThatConnectionWithAnAlert() throws Exception {
        int from;
        try (Socket plain = new Socket("127.0.0.1", server.packetPort)) {
            from = plain.getLocalPort();
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(WireClient.frame(MessageType.TEXT, HELLO.getBytes(StandardCharsets.UTF_8)));
            byte[] answer = readToTheEnd(plain.getInputStream());
            assertTrue(answer.length == 0 || answer[0] == ALERT, "at most a TLS alert record, then the end");
        }
        assertEchoesOverTls("TLSv1.3");
        waitUntilServerSaid("iocp4j: TLS with 127.0.0.1:" + from + " failed: ");
        assertFalse(server.stderr().contains("\tat "), "said in one line, no stack trace: " + server.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void opensslChatsWithTheJdksClientOnTheChatPort(String version) throws Exception {
        String nick = "ossl" + version.substring(4).replace("_", "");
        try (ChatPortEndToEnd.ChatPeer jdk = new ChatPortEndToEnd.ChatPeer(TlsPeer.connect(
                new InetSocketAddress("127.0.0.1", server.chatPort),
                TlsPeer.Options.trusting(localhost.certificatePem())).socket());
             OpensslProcess openssl = OpensslProcess.start("s_client", "-connect", "127.0.0.1:" + server.chatPort,
                     "-CAfile", localhost.certificatePem().toString(), "-servername", "localhost", "-quiet",
                     version)) {
            assertTrue(jdk.nextLine().startsWith("* welcome, guest-"));
            jdk.say("/nick jdk" + nick.substring(4));
            assertEquals("* you are now jdk" + nick.substring(4), jdk.nextLineNotAbout("joined", "left"));
            assertTrue(openssl.nextLine().startsWith("* welcome, guest-"), "the handshake is done");
            openssl.writeLine("/nick " + nick);
            openssl.nextLineStartingWith("* you are now " + nick);
            openssl.writeLine("hello from openssl");
            assertEquals(nick + ": hello from openssl", jdk.nextLineNotAbout("joined", "left", "is now"));
            jdk.say("hello from the jdk");
            assertEquals("jdk" + nick.substring(4) + ": hello from the jdk",
                    openssl.nextLineStartingWith("jdk" + nick.substring(4) + ": "));
        }
    }

    @Test
    void theLibrarysClientCompletesTls13WithOpensslsServerAndBothWaysGetThrough() throws Exception {
        int port = DemoServerEndToEnd.freePort();
        CompletableFuture<String> protocol = new CompletableFuture<>();
        CompletableFuture<String> received = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        Handler handler = new Handler() {
            @Override
            public void onConnect(Connection connection) {
                protocol.complete(Tls.session(connection).getProtocol());
            }

            @Override
            public void onPacket(Connection connection, ByteBuffer bytes) {
                text.append(StandardCharsets.UTF_8.decode(bytes));
                if (text.indexOf("\n") >= 0) {
                    received.complete(text.toString());
                }
            }

            @Override
            public void onError(Connection connection, Throwable error) {
                protocol.completeExceptionally(error);
            }
        };
        TlsSettings settings = TlsSettings.client().trust(localhost.certificatePem()).build();
        try (OpensslProcess openssl = OpensslProcess.start("s_server", "-accept", "127.0.0.1:" + port,
                "-cert", localhost.certificatePem().toString(), "-key", localhost.keyPem().toString(), "-quiet");
             Client client = Client.builder().transport(Transport.valueOf(transport().toUpperCase(Locale.ROOT)))
                     .pipeline(Pipeline.of(Framing.none(), Tls.client(settings, "localhost")))
                     .handler(handler).build()) {
            // Tried until openssl listens: it says nothing when it does with -quiet.
            Connection connection = client.connect(new InetSocketAddress("127.0.0.1", port),
                    Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(100)), 100)
                    .get(30, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", protocol.get(20, TimeUnit.SECONDS));
            connection.send(ByteBuffer.wrap("hello from iocp4j\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hello from iocp4j", openssl.nextLine());
            openssl.writeLine("hello from openssl");
            assertEquals("hello from openssl\n", received.get(20, TimeUnit.SECONDS));
            connection.close();
        }
    }

    @Test
    void aKeyFileThatNoLongerReadsIsSaidInOneLineAndTheKeysInUseStay() throws Exception {
        Path key = localhost.keyPem();
        byte[] original = Files.readAllBytes(key);
        try {
            Files.writeString(key, "not a key\n");
            // The files are looked at when a handshake asks for the keys, at most once a second.
            Thread.sleep(1100);
            assertEchoesOverTls("TLSv1.3");
            String said = waitUntilServerSaid("iocp4j: TLS keys not reloaded from ");
            assertTrue(said.contains(key.toString()) && said.contains("PRIVATE KEY"), said);
        } finally {
            Files.write(key, original);
        }
        assertFalse(server.stderr().contains("\tat "), "said in one line, no stack trace: " + server.stderr());
        Thread.sleep(1100);
        assertEchoesOverTls("TLSv1.2");
    }

    @Test
    void behindABalancerThePROXYHeaderComesFirstAndItsClientIsJudgedBeforeTls() throws Exception {
        try (ServerProcess balanced = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0",
                "--tls-cert", localhost.certificatePem().toString(), "--tls-key", localhost.keyPem().toString(),
                "--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--ban", "203.0.113.7",
                "--transport", transport())) {
            assertTrue(balanced.tls, balanced.readyLine);
            try (Socket socket = new Socket("127.0.0.1", balanced.packetPort)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(proxyHeader("198.51.100.1", balanced.packetPort));
                SSLSocket tls = (SSLSocket) trustingLocalhost().getSocketFactory()
                        .createSocket(socket, "localhost", balanced.packetPort, true);
                tls.startHandshake();
                byte[] frame = WireClient.frame(MessageType.TEXT, HELLO.getBytes(StandardCharsets.UTF_8));
                tls.getOutputStream().write(frame);
                assertArrayEquals(frame, tls.getInputStream().readNBytes(frame.length));
            }
            try (Socket banned = new Socket("127.0.0.1", balanced.packetPort)) {
                banned.setSoTimeout(10_000);
                banned.getOutputStream().write(proxyHeader("203.0.113.7", balanced.packetPort));
                assertEquals(0, readToTheEnd(banned.getInputStream()).length, "closed before a byte of TLS");
            }
        }
    }

    private static byte[] proxyHeader(String client, int serverPort) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 " + serverPort + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private SSLContext trustingLocalhost() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(localhost.certificatePem())) {
            trusted.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private void assertEchoesOverTls(String version) throws Exception {
        try (TlsPeer peer = TlsPeer.connect(new InetSocketAddress("127.0.0.1", server.packetPort),
                TlsPeer.Options.trusting(localhost.certificatePem()).protocol(version))) {
            assertEquals(version, peer.socket().getSession().getProtocol());
            for (int size : new int[] {0, 1, 16_383, 16_384, 100_000}) {
                byte[] frame = new byte[1 + size];
                frame[0] = MessageType.TEXT;
                for (int i = 1; i < frame.length; i++) {
                    frame[i] = (byte) (i * 31 + size);
                }
                peer.send(frame);
                assertArrayEquals(frame, peer.receive(), version + ", TEXT of " + size + " bytes");
            }
        }
    }

    /** The line of the server's standard error that starts with {@code start}, waiting up to 10 s for it. */
    private String waitUntilServerSaid(String start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            for (String line : server.stderr().lines().toList()) {
                if (line.startsWith(start)) {
                    return line;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("the server never said '" + start + "...'; it said: " + server.stderr());
    }

    /** What arrives until the end of the stream or a reset; a read that times out fails. */
    private static byte[] readToTheEnd(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                got.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // Ended all the same.
        }
        return got.toByteArray();
    }
}
