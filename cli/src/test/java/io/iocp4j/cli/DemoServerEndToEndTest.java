package io.iocp4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo server as users run it: a process of its own, spoken to over loopback as PROTOCOL.md says. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoServerEndToEndTest {
    private static final int MAX_FRAME = 1 << 20;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", String.valueOf(freePort()),
                "--transport", "nio2", "--io-threads", "2");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.close();
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
    void answersPingWithPongCarryingTheSameBody() throws IOException {
        try (WireClient client = new WireClient(server.packetPort)) {
            for (int size : new int[]{0, 1, 64}) {
                byte[] body = new byte[size];
                Arrays.fill(body, (byte) size);
                client.send(MessageType.PING, body);
                WireClient.Frame pong = client.receive();
                assertEquals(MessageType.PONG, pong.type());
                assertArrayEquals(body, pong.body());
            }
            client.send(MessageType.PONG, new byte[3]);
            client.send(MessageType.TEXT, "after pong".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("after pong".getBytes(StandardCharsets.UTF_8), client.receive().body());
        }
    }

    @Test
    void answersEachProtocolViolationWithItsErrorAndClosesOnlyThatConnection() throws IOException {
        List<byte[]> violations = List.of(
                ByteBuffer.allocate(5).putInt(MAX_FRAME + 1).put((byte) 1).array(),
                ByteBuffer.allocate(4).putInt(0).array(),
                WireClient.frame(0x55, new byte[2]),
                WireClient.frame(MessageType.PING, new byte[65]),
                WireClient.frame(MessageType.FILE_GET, new byte[]{0, 9, 'a'}),
                WireClient.frame(MessageType.ERROR, new byte[]{0, 1}),
                WireClient.frame(MessageType.FILE_DONE, new byte[]{0}),
                WireClient.frame(MessageType.FILE_ACCEPT, new byte[8]),
                WireClient.frame(MessageType.FILE_ACCEPT, new byte[7]));
        int[] expectedCodes = {1, 2, 3, 4, 4, 5, 5, 5, 4};
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
    void rejectsBadFileNamesAndKeepsTheConnection() throws IOException {
        byte[][] badNames = {
                "..".getBytes(StandardCharsets.UTF_8), ".".getBytes(StandardCharsets.UTF_8),
                "a/b".getBytes(StandardCharsets.UTF_8), "a\\b".getBytes(StandardCharsets.UTF_8),
                {'a', 0x01}, {'a', 0x7F}, {'a', 0}, {(byte) 0xC3, (byte) 0x28}, new byte[0], new byte[256]};
        Arrays.fill(badNames[badNames.length - 1], (byte) 'n');
        try (WireClient client = new WireClient(server.packetPort)) {
            for (byte[] name : badNames) {
                client.send(MessageType.FILE_GET, WireClient.named(name));
                WireClient.Frame reject = client.receive();
                assertEquals(MessageType.FILE_REJECT, reject.type(), Arrays.toString(name));
                assertEquals(FileRejectCode.BAD_NAME, reject.code(), Arrays.toString(name));
            }
            client.send(MessageType.FILE_GET, WireClient.named("résumé.txt"));
            WireClient.Frame missing = client.receive();
            assertEquals(MessageType.FILE_REJECT, missing.type());
            assertEquals(FileRejectCode.NOT_FOUND, missing.code());
            client.send(MessageType.TEXT, "usable".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("usable".getBytes(StandardCharsets.UTF_8), client.receive().body());
        }
    }

    @Test
    void echoesEightMebibytesOnTheRawPortUnchanged() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);
        try (WireClient client = new WireClient(server.rawPort)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    client.output().write(data);
                    client.output().flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = client.readExactly(data.length);
            writer.join();
            assertArrayEquals(data, echoed);
            client.shutdownOutput();
            assertTrue(client.atEndOfStream());
        }
    }

    @Test
    void refusesAPortInUseWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Process second = ServerProcess.launch("server", "--port", String.valueOf(taken.getLocalPort()),
                    "--raw-echo-port", "0");
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            String errors = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, second.exitValue());
            assertTrue(errors.contains("iocp4j: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use"), errors);
        }
    }

    @Test
    void refusesAnUnknownFlagAsBadUsage() throws Exception {
        Process bad = ServerProcess.launch("server", "--no-such-flag");
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        String errors = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("iocp4j: Unknown option: '--no-such-flag'"), errors);
    }

    @Test
    void tellsEveryClientItIsShuttingDownOnSigterm() throws Exception {
        try (ServerProcess doomed = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0")) {
            WireClient[] clients = new WireClient[20];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = new WireClient(doomed.packetPort);
                clients[i].send(MessageType.PING, new byte[0]);
                assertEquals(MessageType.PONG, clients[i].receive().type());
            }
            doomed.terminate();
            for (WireClient client : clients) {
                WireClient.Frame last = client.receive();
                assertNotNull(last);
                assertEquals(MessageType.ERROR, last.type());
                assertEquals(8, last.code());
                assertNull(client.receive());
                client.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
