package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.frame.FrameError;
import io.iocp4j.frame.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every transport must do. A transport's test is a subclass naming the transport; the suite runs only where
 * that transport is available. Every test ends by shutting down what it started and asserting that every
 * connection ended exactly once and every buffer lease came back. The suite runs with handlers on the I/O threads;
 * {@link JobContract} runs it again with handlers on workers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportContract extends ContractSupport {
    @Test
    void echoesFramesInOrderOnAThousandConcurrentConnections() throws Exception {
        int connections = 1000;
        int framesEach = 100;
        // A thousand peers each with up to a megabyte of replies queued may hold more than the default budgets, and
        // a spent budget closes the heaviest holders; this test is about order under load, so the budgets fit it.
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2)
                .sendBudget(2L << 30)
                .partialFrameBudget(1L << 30));
        CountDownLatch done = new CountDownLatch(connections);
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        Random random = new Random(42);
        int[][] lengths = new int[connections][framesEach];
        for (int[] row : lengths) {
            for (int i = 0; i < framesEach; i++) {
                row[i] = 1 + (random.nextInt(8) == 0 ? random.nextInt(64 << 10) : random.nextInt(512));
            }
        }
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> {
            Progress progress = (Progress) connection.attachment();
            int index = progress.index;
            byte[] expected = payload(progress.index, progress.received, lengths[progress.index][progress.received]);
            byte[] actual = new byte[packet.remaining()];
            packet.get(actual);
            if (!Arrays.equals(expected, actual)) {
                mismatches.add("connection " + index + " frame " + progress.received);
            }
            if (++progress.received == framesEach) {
                done.countDown();
            }
        }));
        List<CompletableFuture<Connection>> opening = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            opening.add(client.connect(server.localAddress()));
        }
        for (int i = 0; i < connections; i++) {
            Connection connection = opening.get(i).get(30, TimeUnit.SECONDS);
            connection.attach(new Progress(i));
        }
        // Attach before the first send, so every echo finds its progress record.
        for (int i = 0; i < connections; i++) {
            Connection connection = opening.get(i).join();
            for (int frame = 0; frame < framesEach; frame++) {
                assertTrue(connection.send(ByteBuffer.wrap(payload(i, frame, lengths[i][frame]))));
            }
        }
        assertTrue(done.await(90, TimeUnit.SECONDS), () -> "echoes outstanding on " + done.getCount()
                + " connections; server " + server.stats() + "; server connections " + server.connections());
        assertEquals(List.of(), List.copyOf(mismatches));
        assertEquals(connections, server.connectionCount());
    }

    private static final class Progress {
        final int index;
        int received;

        Progress(int index) {
            this.index = index;
        }
    }

    @Test
    void closesOnceWhenPeerResetsDuringALargeWrite() throws Exception {
        byte[] chunk = new byte[1 << 20];
        CountDownLatch writing = new CountDownLatch(1);
        Server server = startServer(new LedgerHandler(serverLedger, (connection, packet) -> {
            // Far more than the socket buffers hold: the write is in flight when the reset arrives.
            for (int i = 0; i < 64; i++) {
                connection.send(ByteBuffer.wrap(chunk, 0, chunk.length - 8));
            }
            writing.countDown();
        }));
        for (int round = 0; round < 20; round++) {
            FrameSocket peer = new FrameSocket(server.localAddress());
            peer.send(new byte[]{1});
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            byte[] first = peer.receive();
            assertNotNull(first);
            peer.reset();
        }
        assertTrue(serverLedger.awaitAllDisconnected(20, TimeUnit.SECONDS));
        assertEquals(20, serverLedger.disconnectCount());
        awaitPoolEmpty(server);
    }

    @Test
    void closesFromTheHandlerOnce() throws Exception {
        Server server = startServer(new LedgerHandler(serverLedger, (connection, packet) -> {
            connection.close();
            connection.close();
        }));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            peer.send("bye".getBytes());
            assertTrue(peer.readsEndOfStream());
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
        assertEquals(CloseReason.CLOSED_LOCALLY, serverLedger.reason(1));
    }

    @Test
    void closesFromAnotherThreadWhileTrafficFlows() throws Exception {
        LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        Server server = startServer(LedgerHandler.echo(serverLedger).whenConnected(accepted::add));
        for (int round = 0; round < 50; round++) {
            FrameSocket peer = new FrameSocket(server.localAddress());
            Connection connection = accepted.poll(10, TimeUnit.SECONDS);
            assertNotNull(connection);
            Thread pumping = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        peer.send(new byte[100]);
                    }
                } catch (IOException expected) {
                    // The server closed while we were still sending.
                }
            });
            Thread.sleep(round % 5);
            connection.close();
            connection.close();
            connection.closeAfterFlush();
            assertFalse(connection.isOpen());
            pumping.join(10_000);
            peer.close();
        }
        assertTrue(serverLedger.awaitAllDisconnected(20, TimeUnit.SECONDS));
        assertEquals(50, serverLedger.disconnectCount());
        awaitPoolEmpty(server);
    }

    @Test
    void sendAfterCloseFailsClearlyAndKeepsNothing() throws Exception {
        LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        Server server = startServer(LedgerHandler.echo(serverLedger).whenConnected(accepted::add));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            Connection connection = accepted.poll(10, TimeUnit.SECONDS);
            assertNotNull(connection);
            connection.close();
            assertFalse(connection.send(ByteBuffer.wrap(new byte[]{1, 2, 3})));
            assertTrue(peer.readsEndOfStream());
            assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
            assertFalse(connection.send(ByteBuffer.wrap(new byte[]{4})));
            assertEquals(CloseReason.CLOSED_LOCALLY, connection.closeReason());
        }
        awaitPoolEmpty(server);
    }

    @Test
    void closeAfterFlushWritesEverythingQueuedFirst() throws Exception {
        int frames = 2000;
        Server server = startServer(new LedgerHandler(serverLedger, (connection, packet) -> {
            for (int i = 0; i < frames; i++) {
                connection.send(ByteBuffer.allocate(1000).putInt(0, i));
            }
            connection.closeAfterFlush();
            assertFalse(connection.send(ByteBuffer.wrap(new byte[]{1})));
        }));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            peer.send(new byte[]{1});
            for (int i = 0; i < frames; i++) {
                byte[] frame = peer.receive();
                assertNotNull(frame, "frame " + i);
                assertEquals(i, ByteBuffer.wrap(frame).getInt());
            }
            assertNull(peer.receive());
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
    }

    @Test
    void answersEveryRequestOfAPeerThatShutsDownItsOutput() throws Exception {
        Server server = startServer(LedgerHandler.echo(serverLedger));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            for (int i = 0; i < 500; i++) {
                peer.send(ByteBuffer.allocate(300).putInt(0, i).array());
            }
            peer.shutdownOutput();
            for (int i = 0; i < 500; i++) {
                byte[] frame = peer.receive();
                assertNotNull(frame, "reply " + i);
                assertEquals(i, ByteBuffer.wrap(frame).getInt());
            }
            assertNull(peer.receive());
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
        assertEquals(CloseReason.PEER_CLOSED, serverLedger.reason(1));
    }

    @Test
    void reportsAnOversizedFrameToTheHandlerAndServesOthers() throws Exception {
        AtomicReference<FrameError> seen = new AtomicReference<>();
        Handler handler = LedgerHandler.echo(serverLedger).whenFrameError((connection, error) -> {
            seen.set(error);
            connection.send(ByteBuffer.wrap(new byte[]{(byte) error.ordinal()}));
            connection.closeAfterFlush();
        });
        Server server = startServer(handler);
        try (FrameSocket good = new FrameSocket(server.localAddress());
             FrameSocket bad = new FrameSocket(server.localAddress())) {
            bad.sendRaw(ByteBuffer.allocate(4).putInt((1 << 20) + 1).array());
            assertArrayEquals(new byte[]{(byte) FrameError.TOO_LARGE.ordinal()}, bad.receive());
            assertNull(bad.receive());
            assertEquals(FrameError.TOO_LARGE, seen.get());
            good.send("still here".getBytes());
            assertArrayEquals("still here".getBytes(), good.receive());
        }
    }

    @Test
    void aThrowingHandlerClosesOnlyItsConnection() throws Exception {
        Server server = startServer(new LedgerHandler(serverLedger, (connection, packet) -> {
            if (packet.get(0) == 'x') {
                throw new IllegalStateException("handler bug");
            }
            connection.send(packet);
        }));
        try (FrameSocket good = new FrameSocket(server.localAddress());
             FrameSocket bad = new FrameSocket(server.localAddress())) {
            bad.send("x".getBytes());
            assertTrue(bad.readsEndOfStream());
            good.send("ok".getBytes());
            assertArrayEquals("ok".getBytes(), good.receive());
        }
        assertEquals(1, serverLedger.errors().size());
        assertInstanceOf(IllegalStateException.class, serverLedger.errors().getFirst());
        assertEquals(1, server.handlerErrors());
    }

    @Test
    void refusesAnAddressAnotherServerListensOnEvenWithSeveralPorts() throws Exception {
        Server first = startServer(LedgerHandler.echo(serverLedger), 2);
        int port = first.localAddress().getPort();
        IOException refused = assertThrows(IOException.class, () -> Server.builder()
                .bind("127.0.0.1", port)
                .transport(transport())
                .ioThreads(2)
                .framing(FRAMING)
                .workers(workers())
                .ordering(ordering())
                .handler(LedgerHandler.echo(serverLedger))
                .start());
        // The kernel's words, and the address they are about.
        assertInstanceOf(BindException.class, refused);
        assertTrue(refused.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + ": "), refused::toString);
        assertTrue(refused.getMessage().toLowerCase().contains("address already in use"), refused::toString);
        Client client = startClient(LedgerHandler.echo(clientLedger));
        Connection connection = client.connect(first.localAddress()).get(10, TimeUnit.SECONDS);
        connection.send(ByteBuffer.wrap(new byte[]{7}));
        assertTrue(connection.isOpen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (first.connectionCount() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, first.connectionCount(), "the first server still takes connections on its port");
    }

    @Test
    void failsAConnectToAPortNobodyListensOn() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> { }));
        CompletionException failure = assertThrows(CompletionException.class,
                () -> client.connect(new InetSocketAddress("127.0.0.1", port)).join());
        // The future fails with the refusal itself, naming the address; the JDK's exception and words, whichever
        // transport refused, are its cause.
        assertInstanceOf(ConnectException.class, failure.getCause());
        assertEquals("cannot connect to 127.0.0.1:" + port + ": Connection refused", failure.getCause().getMessage());
        assertInstanceOf(ConnectException.class, failure.getCause().getCause());
        assertEquals("Connection refused", failure.getCause().getCause().getMessage());
        assertEquals(0, clientLedger.connectCount());
        awaitPoolEmpty(client.bufferPool());
    }

    @Test
    void shutdownSendsLastWordsAndClosesEveryConnection() throws Exception {
        int peers = 50;
        Handler handler = LedgerHandler.echo(serverLedger)
                .whenShutdown(connection -> connection.send(ByteBuffer.wrap("bye".getBytes())));
        // Not registered with the suite: this test shuts the server down itself and checks the report.
        Server server = serverBuilder(handler, 2).start();
        List<FrameSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < peers; i++) {
                FrameSocket peer = new FrameSocket(server.localAddress());
                peer.send("hi".getBytes());
                assertArrayEquals("hi".getBytes(), peer.receive());
                sockets.add(peer);
            }
            ShutdownReport report = server.shutdown(Duration.ofSeconds(5));
            assertEquals(peers, report.connectionsClosed());
            assertEquals(0, report.closedAtDeadline());
            assertEquals(0, report.leasesOutstanding());
            assertEquals(report, server.shutdown(Duration.ofSeconds(5)), "a second shutdown reports the same");
            for (FrameSocket peer : sockets) {
                assertArrayEquals("bye".getBytes(), peer.receive());
                assertNull(peer.receive());
            }
            assertEquals(CloseReason.SHUTDOWN, serverLedger.reason(1));
        } finally {
            for (FrameSocket peer : sockets) {
                peer.close();
            }
        }
        assertThrows(IOException.class, () -> new FrameSocket(server.localAddress()).close());
    }

    @Test
    void clientAndServerExchangeFromManyThreads() throws Exception {
        Server server = startServer(LedgerHandler.echo(serverLedger));
        AtomicInteger received = new AtomicInteger();
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> received.incrementAndGet()));
        Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
        int threads = 8;
        int each = 5000;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    assertTrue(connection.send(ByteBuffer.wrap(new byte[64])));
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < threads * each && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(threads * each, received.get());
    }

    @Test
    void unframedRepliesFromReceiveBuffersComeBackWhenPeersLeaveAtRandom() throws Exception {
        // Without framing an echo of 1 KiB or more is sent from the receive buffer itself; peers that reset or leave
        // unread leave such replies queued, and every buffer must still come back.
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2).framing(Framing.none()));
        int lifetimes = 2000;
        PeerRounds.run(8, lifetimes, Duration.ofSeconds(100), (n, random) -> {
            try (Socket peer = new Socket()) {
                // A small window: the server's replies back up in its send queue before the peer leaves.
                peer.setReceiveBufferSize(4096);
                peer.connect(server.localAddress(), 10_000);
                peer.setSoTimeout(30_000);
                byte[] chunk = new byte[1024 + random.nextInt(15 << 10)];
                random.nextBytes(chunk);
                int writes = 1 + random.nextInt(16);
                OutputStream out = peer.getOutputStream();
                for (int i = 0; i < writes; i++) {
                    out.write(chunk);
                }
                switch (random.nextInt(3)) {
                    case 0 -> {
                        byte[] echoed = new byte[chunk.length];
                        for (int i = 0; i < writes; i++) {
                            assertEquals(chunk.length, peer.getInputStream().readNBytes(echoed, 0, echoed.length));
                            assertArrayEquals(chunk, echoed, "echo " + i + " of lifetime " + n);
                        }
                    }
                    case 1 -> peer.setSoLinger(true, 0);
                    default -> {
                        // Closed with the echoes unread.
                    }
                }
            }
        });
        assertTrue(serverLedger.awaitAllDisconnected(20, TimeUnit.SECONDS));
        assertEquals(lifetimes, serverLedger.disconnectCount());
        assertEquals(List.of(), serverLedger.errors());
        awaitPoolEmpty(server);
        waitUntil(() -> server.receiveBuffersHeld() == 0, 10);
        assertEquals(0, server.receiveBuffersHeld(), "receive buffers still held");
    }

    @Test
    void endsThousandsOfConnectionsAtRandomMomentsWithoutLeaks() throws Exception {
        int lifetimes = 3000;
        try (LifetimeEndings endings = new LifetimeEndings()) {
            Server server = startServer(endings.serverHandler(serverLedger));
            PeerRounds.run(16, lifetimes, Duration.ofSeconds(100),
                    (n, random) -> endings.oneLifetime(server.localAddress(), random));
            assertTrue(serverLedger.awaitAllDisconnected(20, TimeUnit.SECONDS));
            assertEquals(lifetimes, serverLedger.disconnectCount());
            assertEquals(List.of(), serverLedger.errors());
            assertEquals(0, endings.sendsAcceptedAfterClose());
            awaitPoolEmpty(server);
        }
    }

    /** Deterministic bytes for frame {@code frame} of connection {@code connection}. */
    static byte[] payload(int connection, int frame, int length) {
        byte[] bytes = new byte[length];
        long seed = connection * 1_000_003L + frame;
        for (int i = 0; i < length; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (seed >>> 56);
        }
        return bytes;
    }
}
