package io.iocp4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo server's admission and timeout flags, end to end: a server process per test, started with the flags
 * under test, answering as docs/protocol.md says (ERROR 6 BUSY, ERROR 7 IDLE_TIMEOUT, a banned peer closed without a
 * byte). Each transport runs it through a subclass.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class DemoServerPoliciesEndToEnd {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    @TempDir
    Path directory;

    /** The value of {@code --transport} under test. */
    protected abstract String transport();

    @Test
    void theConnectionOverTheLimitGetsBusyOnEitherPortAndOneClosingLetsTheNextIn() throws Exception {
        try (ServerProcess server = start("--max-connections", "2");
             WireClient first = pinged(server, null);
             WireClient second = pinged(server, null)) {
            try (WireClient third = new WireClient(server.packetPort)) {
                WireClient.Frame busy = third.receive();
                assertNotNull(busy);
                assertEquals(MessageType.ERROR, busy.type());
                assertEquals(ErrorCode.BUSY.code, busy.code());
                assertTrue(third.atEndOfStream(), "closed right after ERROR BUSY");
            }
            try (Socket raw = new Socket("127.0.0.1", server.rawPort)) {
                raw.setSoTimeout(20_000);
                raw.getOutputStream().write(1);
                assertEquals(-1, readOrReset(raw), "raw port over the limit: closed without a byte");
            }
            assertPongs(first);
            assertPongs(second);
            second.close();
            try (WireClient next = admittedWithin(server)) {
                assertPongs(next);
            }
        }
    }

    @Test
    void bansFromFlagsAndFileRefuseTheirPeersAndTheFileIsReloadedWhenItChanges() throws Exception {
        Path banFile = directory.resolve("bans.txt");
        Files.writeString(banFile, "# refused\n127.0.0.3\n");
        try (ServerProcess server = start("--ban", "127.0.0.2", "--ban-file", banFile.toString(),
                "--max-per-address", "1")) {
            assertRefused(server, 2);
            assertRefused(server, 3);
            try (WireClient four = pinged(server, loopback(4))) {
                assertRefused(server, 4);
                assertPongs(four);
            }
            Files.writeString(banFile, "127.0.0.5 # now this one\n");
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!refused(server, 5) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertRefused(server, 5);
            try (WireClient three = pinged(server, loopback(3))) {
                assertPongs(three);
            }
            assertRefused(server, 2);
            Files.writeString(banFile, "127.0.0.5\nnot-an-address\n");
            while (!server.stderr().contains("line 2: 'not-an-address'") && System.nanoTime() < deadline + WAIT_NANOS) {
                Thread.sleep(100);
            }
            assertTrue(server.stderr().contains("the bans in force stay"), server.stderr());
            assertRefused(server, 5);
        }
    }

    @Test
    void anIdleConnectionGetsIdleTimeoutWhileAPingingOneStaysOpen() throws Exception {
        try (ServerProcess server = start("--idle-timeout", "2");
             WireClient idle = pinged(server, null);
             WireClient pinging = pinged(server, null)) {
            CompletableFuture<WireClient.Frame> idleEnd = CompletableFuture.supplyAsync(() -> {
                try {
                    return idle.receive();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Pings a tenth of the timeout apart until the idle one is told, and for a while after.
            int pings = 0;
            while (!idleEnd.isDone() && pings < 300) {
                assertPongs(pinging);
                pings++;
                Thread.sleep(100);
            }
            WireClient.Frame error = idleEnd.get(20, TimeUnit.SECONDS);
            assertNotNull(error);
            assertEquals(MessageType.ERROR, error.type());
            assertEquals(ErrorCode.IDLE_TIMEOUT.code, error.code());
            assertTrue(idle.atEndOfStream());
            for (int i = 0; i < 10; i++) {
                assertPongs(pinging);
            }
        }
    }

    @Test
    void aPeerThatStopsReadingIsClosedByTheWriteTimeout() throws Exception {
        try (ServerProcess server = start("--write-timeout", "1");
             WireClient reader = pinged(server, null);
             Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.packetPort), 10_000);
            stalled.setSoTimeout(30_000);
            // TEXT echoes it never reads: the server's queue for it fills, the server stops reading from it, and
            // no byte moves until the write timeout closes it. The writes then fail, or end because it is closed.
            byte[] text = WireClient.frame(MessageType.TEXT, new byte[1 << 20]);
            OutputStream out = stalled.getOutputStream();
            boolean failed = false;
            for (int i = 0; i < 200 && !failed; i++) {
                try {
                    out.write(text);
                } catch (IOException closed) {
                    failed = true;
                }
            }
            assertTrue(failed, "200 MiB written to a peer that stalled and was not closed");
            assertPongs(reader);
        }
    }

    private ServerProcess start(String... flags) throws Exception {
        String[] args = new String[flags.length + 7];
        String[] common = {"server", "--port", "0", "--raw-echo-port", String.valueOf(freePort()), "--transport",
                transport()};
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(flags, 0, args, common.length, flags.length);
        return ServerProcess.start(args);
    }

    /** A client from {@code source} that has had a PONG: surely admitted. */
    private static WireClient pinged(ServerProcess server, InetAddress source) throws IOException {
        WireClient client = new WireClient(server.packetPort, source);
        assertPongs(client);
        return client;
    }

    private static void assertPongs(WireClient client) throws IOException {
        client.send(MessageType.PING, new byte[]{42});
        WireClient.Frame pong = client.receive();
        assertNotNull(pong, "connection closed instead of PONG");
        assertEquals(MessageType.PONG, pong.type());
    }

    /** A connection freed moments ago is given back asynchronously; until then a new one may still hear BUSY. */
    private static WireClient admittedWithin(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            WireClient client = new WireClient(server.packetPort);
            client.send(MessageType.PING, new byte[0]);
            WireClient.Frame answer = client.receive();
            if (answer != null && answer.type() == MessageType.PONG) {
                return client;
            }
            client.close();
            assertTrue(System.nanoTime() < deadline, "no connection admitted after one closed");
            Thread.sleep(50);
        }
    }

    private static void assertRefused(ServerProcess server, int host) throws IOException {
        assertTrue(refused(server, host), "127.0.0." + host + " should be refused without a byte");
    }

    private static boolean refused(ServerProcess server, int host) throws IOException {
        try (WireClient client = new WireClient(server.packetPort, loopback(host))) {
            try {
                client.send(MessageType.PING, new byte[0]);
            } catch (IOException reset) {
                return true;
            }
            WireClient.Frame answer;
            try {
                answer = client.receive();
            } catch (IOException reset) {
                return true;
            }
            return answer == null;
        }
    }

    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) last});
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
