package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.LeakReport;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a server ends: what its shutdown flushes, drops and reports, from any thread, with thousands of connections
 * held by another process, and what leak tracking shows while it runs. Each transport runs it as a subclass.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ShutdownContract extends ContractSupport {
    private static final byte[] BYE = "bye".getBytes(StandardCharsets.US_ASCII);
    private static final int LARGE = 1 << 20;

    /** Echoes 'e', answers 'L' with eight mebibytes, and says bye when the server shuts down. */
    private Handler lastWordsHandler() {
        return new LedgerHandler(serverLedger, (connection, packet) -> {
            if (packet.get(packet.position()) == 'L') {
                for (int i = 0; i < 8; i++) {
                    connection.send(ByteBuffer.allocate(LARGE));
                }
            } else {
                connection.send(packet);
            }
        }).whenShutdown(connection -> connection.send(ByteBuffer.wrap(BYE)));
    }

    /** A peer that asked for megabytes and reads none of them: its server is stuck sending to it. */
    private static FrameSocket stuckPeer(Server server) throws IOException {
        FrameSocket peer = new FrameSocket(server.localAddress(), 4096);
        peer.send(new byte[]{'L'});
        // The first bytes prove the sending started; the rest cannot fit while this peer does not read.
        peer.socket().getInputStream().readNBytes(4);
        return peer;
    }

    private static List<FrameSocket> echoingPeers(Server server, int count) throws IOException {
        List<FrameSocket> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FrameSocket peer = new FrameSocket(server.localAddress());
            peer.send(new byte[]{'e', (byte) i});
            assertArrayEquals(new byte[]{'e', (byte) i}, peer.receive());
            peers.add(peer);
        }
        return peers;
    }

    private static void closeAll(List<FrameSocket> peers) throws IOException {
        for (FrameSocket peer : peers) {
            peer.close();
        }
    }

    @Test
    void countsTheBytesItFlushedAndTheSendsItDroppedAtTheDeadline() throws Exception {
        Server server = startServer(lastWordsHandler());
        List<FrameSocket> peers = echoingPeers(server, 10);
        try (FrameSocket stuck = stuckPeer(server)) {
            ShutdownReport report = server.shutdown(Duration.ofMillis(300));
            assertTrue(report.finished());
            assertEquals(11, report.connectionsClosed());
            assertEquals(1, report.closedAtDeadline(), "only the peer that reads nothing is still sending");
            assertTrue(report.sendsDropped() >= 1, "the stuck peer's megabytes were dropped: " + report);
            assertTrue(report.bytesFlushed() >= 10L * (4 + BYE.length), "every bye was flushed: " + report);
            assertEquals(0, report.leasesOutstanding());
            for (FrameSocket peer : peers) {
                assertArrayEquals(BYE, peer.receive());
                assertNull(peer.receive());
            }
        } finally {
            closeAll(peers);
        }
    }

    @Test
    void shutdownNowSkipsTheGraceAndDropsWhatIsQueued() throws Exception {
        Server server = startServer(lastWordsHandler());
        List<FrameSocket> peers = echoingPeers(server, 5);
        try (FrameSocket stuck = stuckPeer(server)) {
            ShutdownReport report = server.shutdownNow();
            assertEquals(6, report.connectionsClosed());
            assertTrue(report.sendsDropped() >= 1, report::toString);
            assertEquals(0, report.leasesOutstanding());
            assertSame(report, server.shutdown(Duration.ofSeconds(5)), "the first shutdown's report stands");
            for (FrameSocket peer : peers) {
                assertTrue(endsAfterAtMostABye(peer));
            }
        } finally {
            closeAll(peers);
        }
    }

    /** True once the peer's stream ends, with or without the last words before it. */
    private static boolean endsAfterAtMostABye(FrameSocket peer) throws IOException {
        try {
            byte[] last = peer.receive();
            if (last == null) {
                return true;
            }
            assertArrayEquals(BYE, last);
            return peer.receive() == null;
        } catch (SocketException reset) {
            // Closing with bytes unread is a reset; no grace means that may happen.
            return true;
        }
    }

    @Test
    void aHandlerMayShutItsServerDownTwiceWithoutWaitingForItself() throws Exception {
        AtomicReference<Server> self = new AtomicReference<>();
        List<ShutdownReport> seenInHandler = new ArrayList<>();
        Handler handler = new LedgerHandler(serverLedger, (connection, packet) -> {
            if (packet.get(packet.position()) == 'S') {
                synchronized (seenInHandler) {
                    seenInHandler.add(self.get().shutdown(Duration.ofSeconds(5)));
                    seenInHandler.add(self.get().shutdownNow());
                }
            } else {
                connection.send(packet);
            }
        }).whenShutdown(connection -> connection.send(ByteBuffer.wrap(BYE)));
        Server server = startServer(handler);
        self.set(server);
        List<FrameSocket> peers = echoingPeers(server, 3);
        try {
            peers.getFirst().send(new byte[]{'S'});
            ShutdownReport report = server.shutdownAsync(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
            assertTrue(report.finished());
            assertEquals(3, report.connectionsClosed());
            assertEquals(0, report.closedAtDeadline(), "the grace of the first call holds");
            synchronized (seenInHandler) {
                assertEquals(List.of(ShutdownReport.begun(), ShutdownReport.begun()), seenInHandler);
            }
            for (FrameSocket peer : peers) {
                assertArrayEquals(BYE, peer.receive());
                assertNull(peer.receive());
            }
        } finally {
            closeAll(peers);
        }
    }

    @Test
    void closesNineThousandConnectionsOfAnotherProcessAndLeavesNothing() throws Exception {
        int count = 9000;
        // Every hundredth peer asks for 8 MiB at once: 720 MiB queued together, past the default send budget, which
        // would close some of them before the shutdown this test is about.
        Server server = start(serverBuilder(lastWordsHandler(), 2).sendBudget(1L << 30));
        Path output = Files.createTempFile("iocp4j-peers", ".txt");
        Process peers = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), HoldingPeers.class.getName(),
                "127.0.0.1", Integer.toString(server.localAddress().getPort()), Integer.toString(count), "100", "120")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (serverLedger.connectCount() < count && peers.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(count, serverLedger.connectCount(), () -> "peers said: " + read(output));
            // Every request handled, its replies queued: a request still unread when the shutdown begins is not
            // answered (a draining connection takes no more packets), and the byte count below would miss it.
            while (server.stats().packetsIn() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(count, server.stats().packetsIn(), "requests handled before the shutdown");
            ShutdownReport report = server.shutdown(Duration.ofSeconds(30));
            System.out.println(getClass().getSimpleName() + ": " + count + " connections shut down in "
                    + report.took().toMillis() + " ms, " + report.bytesFlushed() + " bytes flushed");
            assertEquals(count, report.connectionsClosed());
            assertEquals(0, report.closedAtDeadline(), "every peer reads: nothing is stuck");
            assertEquals(0, report.sendsDropped());
            assertEquals(0, report.leasesOutstanding());
            assertEquals(0, server.connectionCount());
            assertTrue(peers.waitFor(60, TimeUnit.SECONDS), "the peers' process ends once every connection did");
            String said = read(output);
            assertEquals(0, peers.exitValue(), said);
            String[] ended = said.lines().filter(line -> line.startsWith("ENDED ")).findFirst().orElseThrow()
                    .split(" ");
            assertEquals(count, Integer.parseInt(ended[1]), said);
            long large = (count + 99) / 100;
            assertTrue(Long.parseLong(ended[2]) >= large * 8 * (LARGE + 4) + count * (4 + BYE.length),
                    "every large reply and every bye arrived: " + said);
        } finally {
            peers.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** What the peers' process printed, for assertion messages. */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void listsWhereEachHeldLeaseAndConnectionWasTaken() throws Exception {
        String here = "listsWhereEachHeldLeaseAndConnectionWasTaken";
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .bufferPool(new BufferPool(1 << 20, true)).trackLeaks(true));
        Client client = start(clientBuilder(new LedgerHandler(clientLedger, (connection, packet) -> { }))
                .bufferPool(new BufferPool(1 << 20, true)).trackLeaks(true));
        Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
        IoBuffer held = server.bufferPool().lease(100);
        try {
            LeakReport serverHeld = server.leaks();
            assertTrue(serverHeld.leaseSites().stream().anyMatch(site -> namesMethod(site, here)),
                    serverHeld::describe);
            assertTrue(serverHeld.describe().contains(here), serverHeld::describe);
            awaitTrue(() -> server.leaks().connectionsHeld() == 1);
            assertTrue(server.leaks().connectionSites().getFirst().getMessage().contains("accepted here"));
            LeakReport clientHeld = client.leaks();
            assertEquals(1, clientHeld.connectionsHeld());
            Throwable opened = clientHeld.connectionSites().getFirst();
            assertTrue(opened.getMessage().contains("opened here"), opened::getMessage);
            assertTrue(namesMethod(opened, here), clientHeld::describe);
        } finally {
            held.release();
            connection.close();
        }
        awaitTrue(() -> client.leaks().isEmpty() && server.leaks().isEmpty());
        assertFalse(server.leaks().describe().contains(here));
    }

    @Test
    void refusesToTrackLeaksWithAPoolMadeWithoutTracking() {
        Server.Builder builder = serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .bufferPool(new BufferPool(1 << 20, false)).trackLeaks(true);
        IllegalStateException refused = assertThrows(IllegalStateException.class, builder::start);
        assertTrue(refused.getMessage().contains("new BufferPool(bytes, true)"), refused::getMessage);
    }

    private static boolean namesMethod(Throwable site, String method) {
        return Arrays.stream(site.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
