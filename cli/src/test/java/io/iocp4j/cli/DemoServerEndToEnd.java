package io.iocp4j.cli;

import io.iocp4j.file.FileRejectCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo server as users run it: a process of its own, spoken to over loopback as docs/protocol.md says. Each
 * transport runs the whole of it through a subclass naming the transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DemoServerEndToEnd {
    private static final int MAX_FRAME = 1 << 20;
    private ServerProcess server;

    /** The value of {@code --transport} under test. */
    protected abstract String transport();

    @BeforeAll
    void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", String.valueOf(freePort()),
                "--transport", transport(), "--io-threads", "2");
    }

    @AfterAll
    void stopServer() throws InterruptedException, IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void printsOneReadyLineNamingTheRealPortsAndTheTransport() {
        assertTrue(server.packetPort > 0);
        assertTrue(server.rawPort > 0);
        assertEquals("iocp4j server ready: packets on 127.0.0.1:" + server.packetPort + ", raw echo on 127.0.0.1:"
                + server.rawPort + ", transport " + transport() + ", 2 I/O threads, balancing least-load, rebalancing every"
                + " 1 s", server.readyLine);
    }

    @Test
    void echoesTextWhateverTheSplit() throws IOException {
        Random random = new Random(7);
        try (WireClient client = new WireClient(server.packetPort)) {
            for (int size : new int[]{0, 1, 100, 70_000, MAX_FRAME - 1}) {
                byte[] body = new byte[size];
                random.nextBytes(body);
                client.sendInPieces(WireClient.frame(MessageType.TEXT, body), random);
                WireClient.Frame echo = client.receive();
                assertNotNull(echo);
                assertEquals(MessageType.TEXT, echo.type());
                assertArrayEquals(body, echo.body(), "echo of " + size + " bytes");
            }
        }
    }

    @Test
    void echoesTextSentOneByteAtATime() throws IOException {
        byte[] body = "one byte at a time".getBytes(StandardCharsets.UTF_8);
        try (WireClient client = new WireClient(server.packetPort)) {
            for (byte b : WireClient.frame(MessageType.TEXT, body)) {
                client.sendRaw(new byte[]{b});
            }
            assertArrayEquals(body, client.receive().body());
        }
    }

    @Test
    void echoesManyFramesSentInOneWriteInOrder() throws IOException {
        try (WireClient client = new WireClient(server.packetPort)) {
            ByteBuffer burst = ByteBuffer.allocate(1000 * 9);
            for (int i = 0; i < 1000; i++) {
                burst.put(WireClient.frame(MessageType.TEXT, ByteBuffer.allocate(4).putInt(i).array()));
            }
            client.sendRaw(burst.array());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, ByteBuffer.wrap(client.receive().body()).getInt());
            }
        }
    }

    @Test
    void answersPingWithPongCarryingTheSameBodyAndIgnoresPong() throws IOException {
        try (WireClient client = new WireClient(server.packetPort)) {
            for (int size : new int[]{0, 1, 64}) {
                byte[] body = new byte[size];
                Arrays.fill(body, (byte) size);
                client.send(MessageType.PING, body);
                WireClient.Frame pong = client.receive();
                assertEquals(MessageType.PONG, pong.type());
                assertArrayEquals(body, pong.body());
            }
            client.send(MessageType.PONG, new byte[64]);
            client.send(MessageType.TEXT, "after pong".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("after pong".getBytes(StandardCharsets.UTF_8), client.receive().body());
        }
    }

    @Test
    void answersEachProtocolViolationWithItsErrorAndClosesOnlyThatConnection() throws IOException {
        List<byte[]> violations = List.of(
                ByteBuffer.allocate(6).putInt(MAX_FRAME + 1).put((byte) 1).put((byte) 'x').array(),
                ByteBuffer.allocate(5).putInt(-1).put((byte) 1).array(),
                ByteBuffer.allocate(4).putInt(0).array(),
                WireClient.frame(0x55, new byte[2]),
                WireClient.frame(0x00, new byte[0]),
                WireClient.frame(MessageType.PING, new byte[65]),
                WireClient.frame(MessageType.PONG, new byte[65]),
                WireClient.frame(MessageType.FILE_GET, new byte[]{0, 9, 'a'}),
                WireClient.frame(MessageType.FILE_GET, new byte[]{0}),
                WireClient.frame(MessageType.FILE_OFFER, new byte[8 + 32 + 1]),
                WireClient.frame(MessageType.FILE_ACCEPT, new byte[7]),
                WireClient.frame(MessageType.FILE_DONE, new byte[]{0, 0}),
                WireClient.frame(MessageType.FILE_REJECT, new byte[]{0}),
                WireClient.frame(MessageType.FILE_CANCEL, new byte[0]),
                WireClient.frame(MessageType.ERROR, new byte[]{1}),
                WireClient.frame(MessageType.ERROR, new byte[]{0, 1, 'o', 'o', 'p', 's'}),
                WireClient.frame(MessageType.FILE_DONE, new byte[]{0}),
                WireClient.frame(MessageType.FILE_ACCEPT, new byte[8]),
                WireClient.frame(MessageType.FILE_REJECT, new byte[]{0, 1}),
                WireClient.frame(MessageType.FILE_CANCEL, new byte[]{0, 0, 'n', 'o'}));
        int[] expectedCodes = {1, 1, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5};
        try (WireClient bystander = new WireClient(server.packetPort)) {
            for (int i = 0; i < violations.size(); i++) {
                try (WireClient offender = new WireClient(server.packetPort)) {
                    offender.sendRaw(violations.get(i));
                    WireClient.Frame error = offender.receive();
                    assertNotNull(error, "violation " + i);
                    assertEquals(MessageType.ERROR, error.type(), "violation " + i);
                    assertEquals(expectedCodes[i], error.code(), "violation " + i);
                    assertTrue(offender.atEndOfStream(), "closed after violation " + i);
                }
                byte[] text = ("still served " + i).getBytes(StandardCharsets.UTF_8);
                bystander.send(MessageType.TEXT, text);
                assertArrayEquals(text, bystander.receive().body());
            }
        }
    }

    @Test
    void readsNothingAfterTheFrameThatEarnedAnError() throws IOException {
        try (WireClient client = new WireClient(server.packetPort)) {
            ByteBuffer both = ByteBuffer.allocate(64)
                    .put(WireClient.frame(MessageType.FILE_DONE, new byte[]{1}))
                    .put(WireClient.frame(MessageType.TEXT, new byte[]{'l', 'o', 's', 't'}))
                    .put(WireClient.frame(MessageType.PING, new byte[0]));
            client.sendRaw(Arrays.copyOf(both.array(), both.position()));
            WireClient.Frame error = client.receive();
            assertEquals(MessageType.ERROR, error.type());
            assertEquals(ErrorCode.UNEXPECTED.code, error.code());
            assertNull(client.receive());
        }
    }

    @Test
    void rejectsBadFileNamesAndKeepsTheConnection() throws IOException {
        byte[][] badNames = {
                "..".getBytes(StandardCharsets.UTF_8), ".".getBytes(StandardCharsets.UTF_8),
                "a/b".getBytes(StandardCharsets.UTF_8), "a\\b".getBytes(StandardCharsets.UTF_8),
                {'a', 0x01}, {'a', 0x1F}, {'a', 0x7F}, {'a', 0}, {(byte) 0xC3, (byte) 0x28},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[0], new byte[256]};
        Arrays.fill(badNames[badNames.length - 1], (byte) 'n');
        try (WireClient client = new WireClient(server.packetPort)) {
            for (byte[] name : badNames) {
                client.send(MessageType.FILE_GET, WireClient.named(name));
                WireClient.Frame reject = client.receive();
                assertEquals(MessageType.FILE_REJECT, reject.type(), Arrays.toString(name));
                assertEquals(FileRejectCode.BAD_NAME, reject.code(), Arrays.toString(name));
            }
            client.send(MessageType.FILE_OFFER, offer(10, "../etc/passwd".getBytes(StandardCharsets.UTF_8)));
            assertEquals(FileRejectCode.BAD_NAME, client.receive().code());
            client.send(MessageType.TEXT, "usable".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("usable".getBytes(StandardCharsets.UTF_8), client.receive().body());
        }
    }

    @Test
    void answersWellFormedFileRequestsWithTheRejectionThisVersionGives() throws IOException {
        byte[] longest = new byte[255];
        Arrays.fill(longest, (byte) 'n');
        try (WireClient client = new WireClient(server.packetPort)) {
            client.send(MessageType.FILE_GET, WireClient.named("résumé.txt"));
            WireClient.Frame missing = client.receive();
            assertEquals(MessageType.FILE_REJECT, missing.type());
            assertEquals(FileRejectCode.NOT_FOUND, missing.code());
            client.send(MessageType.FILE_GET, WireClient.named(longest));
            assertEquals(FileRejectCode.NOT_FOUND, client.receive().code());

            client.send(MessageType.FILE_OFFER, offer(1 << 20, "data.bin".getBytes(StandardCharsets.UTF_8)));
            WireClient.Frame refused = client.receive();
            assertEquals(MessageType.FILE_REJECT, refused.type());
            assertEquals(FileRejectCode.IO_ERROR, refused.code());
            assertEquals("this server does not store files",
                    new String(refused.body(), 2, refused.body().length - 2, StandardCharsets.UTF_8));

            client.send(MessageType.PING, new byte[]{42});
            assertArrayEquals(new byte[]{42}, client.receive().body());
        }
    }

    @Test
    void echoesEightMebibytesOnTheRawPortUnchanged() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);
        try (WireClient client = new WireClient(server.rawPort)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Random pieces = new Random(12);
                    for (int at = 0; at < data.length; ) {
                        int piece = Math.min(data.length - at, 1 + pieces.nextInt(200_000));
                        client.output().write(data, at, piece);
                        at += piece;
                    }
                    client.output().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = client.readExactly(data.length);
            writer.join();
            assertEquals(sha256(data), sha256(echoed));
            client.shutdownOutput();
            assertTrue(client.atEndOfStream());
        }
    }

    @Test
    void refusesAPortInUseWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerProcess.Outcome second = ServerProcess.run(new byte[0], "server",
                    "--port", String.valueOf(taken.getLocalPort()), "--raw-echo-port", "0", "--transport", transport());
            assertEquals(1, second.exitCode());
            assertTrue(second.stderr().contains("iocp4j: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use\n"), second.stderr());
            assertEquals("", second.stdout());
        }
    }

    @Test
    void namesTheRawPortWhenItIsTheOneInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerProcess.Outcome second = ServerProcess.run(new byte[0], "server", "--port", "0",
                    "--raw-echo-port", String.valueOf(taken.getLocalPort()), "--transport", transport());
            assertEquals(1, second.exitCode());
            assertTrue(second.stderr().contains("iocp4j: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use\n"), second.stderr());
        }
    }

    @Test
    void tellsEveryClientItIsShuttingDownOnSigtermAndExitsWithZero() throws Exception {
        try (ServerProcess doomed = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", transport())) {
            WireClient[] clients = new WireClient[100];
            try {
                for (int i = 0; i < clients.length; i++) {
                    clients[i] = new WireClient(doomed.packetPort);
                    clients[i].send(MessageType.PING, new byte[0]);
                    assertEquals(MessageType.PONG, clients[i].receive().type());
                }
                assertEquals(0, doomed.terminate(), doomed.stderr());
                for (WireClient client : clients) {
                    WireClient.Frame last = client.receive();
                    assertNotNull(last);
                    assertEquals(MessageType.ERROR, last.type());
                    assertEquals(ErrorCode.SHUTTING_DOWN.code, last.code());
                    assertNull(client.receive());
                }
            } finally {
                for (WireClient client : clients) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
        }
    }

    /** A FILE_OFFER body: size, a SHA-256 (zeros: never checked here), name length and name. */
    private static byte[] offer(long size, byte[] name) {
        byte[] named = WireClient.named(name);
        return ByteBuffer.allocate(8 + 32 + named.length).putLong(size).put(new byte[32]).put(named).array();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
