package io.iocp4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code iocp4j client} as users run it, against the demo server in a process of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientProgramTest {
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void printsTheEchoOfEachLineAndExitsWithZeroAtTheEndOfInput() throws Exception {
        byte[] input = "hello\nwörld\r\n\nno newline at the end".getBytes(StandardCharsets.UTF_8);
        ServerProcess.Outcome client = ServerProcess.run(input, "client", "--port", port());
        assertEquals(0, client.exitCode(), client.stderr());
        assertEquals("hello\nwörld\n\nno newline at the end\n", client.stdout());
    }

    @Test
    void exitsWithZeroAtOnceOnEmptyInput() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run(new byte[0], "client", "--port", port());
        assertEquals(0, client.exitCode(), client.stderr());
        assertEquals("", client.stdout());
    }

    @Test
    void refusesALineTooLongForOneTextMessage() throws Exception {
        byte[] input = new byte[ClientCommand.MAX_FRAME + 10];
        Arrays.fill(input, (byte) 'x');
        ServerProcess.Outcome client = ServerProcess.run(input, "client", "--port", port());
        assertEquals(1, client.exitCode());
        assertTrue(client.stderr().contains("iocp4j: a line longer than 1048575 bytes does not fit in one TEXT"
                + " message"), client.stderr());
    }

    @Test
    void printsPingRoundTrips() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run(new byte[0], "client", "--port", port(), "--ping", "50");
        assertEquals(0, client.exitCode(), client.stderr());
        assertTrue(client.stdout().matches("50 pings: min \\d+ us, median \\d+ us, p99 \\d+ us\n"), client.stdout());
    }

    @Test
    void saysTheConnectionWasRefused() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ServerProcess.Outcome client = ServerProcess.run(new byte[0], "client", "--port",
                String.valueOf(closedPort));
        assertEquals(1, client.exitCode());
        assertTrue(client.stderr().contains("iocp4j: cannot connect to 127.0.0.1:" + closedPort
                + ": connection refused\n"), client.stderr());
    }

    @Test
    void quietLeavesOutTheTransportLineButNotTheError() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String refused = "iocp4j: cannot connect to 127.0.0.1:" + closedPort + ": connection refused\n";
        ServerProcess.Outcome told = ServerProcess.run(new byte[0], "client", "--port", String.valueOf(closedPort));
        assertTrue(told.stderr().startsWith("iocp4j: transport "), told.stderr());
        ServerProcess.Outcome quiet = ServerProcess.run(new byte[0], "client", "--quiet", "--port",
                String.valueOf(closedPort));
        assertEquals(1, quiet.exitCode());
        assertEquals(refused, quiet.stderr());
        ServerProcess.Outcome quietFirst = ServerProcess.run(new byte[0], "--quiet", "client", "--port",
                String.valueOf(closedPort));
        assertEquals(refused, quietFirst.stderr());
    }

    @Test
    void printsTheServersErrorAndExitsWithOne() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answerer = Thread.ofPlatform().daemon().start(() -> answerWithError(fake));
            ServerProcess.Outcome client = ServerProcess.run("hi\n".getBytes(StandardCharsets.UTF_8), "client",
                    "--port", String.valueOf(fake.getLocalPort()));
            answerer.join(TimeUnit.SECONDS.toMillis(20));
            assertEquals(1, client.exitCode());
            assertTrue(client.stderr().contains("iocp4j: server error 8 SHUTTING_DOWN: going away\n"),
                    client.stderr());
        }
    }

    @Test
    void refusesBadFlagsWithExitCodeTwo() throws Exception {
        assertEquals(2, ServerProcess.run(new byte[0], "client", "--ping", "0").exitCode());
        assertEquals(2, ServerProcess.run(new byte[0], "client", "--port", "x").exitCode());
    }

    /** A server of one connection: reads the first frame, answers ERROR 8, closes. */
    private static void answerWithError(ServerSocket fake) {
        try (Socket socket = fake.accept()) {
            socket.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readFully(new byte[in.readInt()]);
            OutputStream out = socket.getOutputStream();
            byte[] message = "going away".getBytes(StandardCharsets.UTF_8);
            out.write(WireClient.frame(MessageType.ERROR, ByteBuffer.allocate(2 + message.length)
                    .putShort((short) 8).put(message).array()));
            out.flush();
        } catch (IOException ignored) {
            // The test's assertions say what went wrong.
        }
    }

    private static String port() {
        return String.valueOf(server.packetPort);
    }
}
