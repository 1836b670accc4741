package io.iocp4j.uring;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;
import io.iocp4j.testkit.FrameSocket;
import io.iocp4j.testkit.LedgerHandler;
import io.iocp4j.testkit.LifetimeLedger;
import io.iocp4j.testkit.PeerRounds;
import io.iocp4j.testkit.StartedEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the io_uring transport promises, on real sockets: idle connections hold no receive buffer, a burst of
 * connects goes through one multishot accept, operations cancelled at any moment each end once, and a ring that
 * runs out of buffers loses no byte. Every test ends as the contract's do: leases back, each connection ended
 * exactly once, no I/O thread left, and no completion delivered to a connection that was gone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringNetworkTest {
    private static final Framing FRAMING = Framing.lengthPrefixed(4, 1 << 20);
    /** Server and client share this process: 2 x 5,000 sockets, well under the 20,000 descriptors allowed. */
    private static final int MANY = 5000;

    private final LifetimeLedger serverLedger = new LifetimeLedger();
    private final LifetimeLedger clientLedger = new LifetimeLedger();
    private final StartedEngines started = new StartedEngines();
    private final List<Server> servers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    /** What the counting client heard: echoes, and echoes that came back on another connection. */
    private final LongAdder echoes = new LongAdder();
    private final LongAdder mismatches = new LongAdder();

    @BeforeEach
    void requireUring() {
        Assumptions.assumeTrue(Transport.URING.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + Transport.URING.unavailableReason().orElse(""));
    }

    @AfterEach
    void everyConnectionEndedOnceAndNothingWasLate() throws InterruptedException {
        started.shutDownAndAssertClean(serverLedger, clientLedger);
        for (Server server : servers) {
            assertEquals(0, server.staleCompletions(), "completions that found their connection gone");
        }
        for (Client client : clients) {
            assertEquals(0, client.staleCompletions(), "completions that found their connection gone");
        }
    }

    private Server startServer(Server.Builder builder) throws IOException {
        Server server = started.add(builder.transport(Transport.URING).start());
        servers.add(server);
        return server;
    }

    private Server startEchoServer(int ioThreads, int backlog) throws IOException {
        return startServer(Server.builder().bind("127.0.0.1", 0).ioThreads(ioThreads).backlog(backlog)
                .framing(FRAMING).handler(LedgerHandler.echo(serverLedger)));
    }

    private Client startClient(LedgerHandler handler) throws IOException {
        Client client = started.add(Client.builder().transport(Transport.URING).ioThreads(2).framing(FRAMING)
                .handler(handler).build());
        clients.add(client);
        return client;
    }

    /** A client whose connections expect their own number back, as attached, in every echo. */
    private Client startCountingClient() throws IOException {
        return startClient(new LedgerHandler(clientLedger, (connection, packet) -> {
            if (packet.remaining() != 8 || packet.getInt(0) != (Integer) connection.attachment()) {
                mismatches.increment();
            }
            echoes.increment();
        }));
    }

    private static void await(String what, BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(2);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** Sends one frame on each connection and waits until every echo is back. */
    private void echoOnEach(List<Connection> connections, int round) throws InterruptedException {
        long before = echoes.sum();
        for (Connection connection : connections) {
            assertTrue(connection.send(ByteBuffer.allocate(8).putInt((Integer) connection.attachment())
                    .putInt(round).flip()), "connection open");
        }
        await("an echo on each of " + connections.size() + " connections",
                () -> echoes.sum() - before >= connections.size(), 60);
        assertEquals(connections.size(), echoes.sum() - before);
        assertEquals(0, mismatches.sum(), "echoes that came back on the wrong connection");
    }

    /** {@code count} connections made {@code wave} at a time, each numbered by the order it was asked for. */
    private static List<Connection> connectNumbered(Client client, InetSocketAddress address, int count, int wave)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        for (int first = 0; first < count; first += wave) {
            List<CompletableFuture<Connection>> pending = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + wave); i++) {
                pending.add(client.connect(address));
            }
            for (CompletableFuture<Connection> future : pending) {
                Connection connection = future.get(60, TimeUnit.SECONDS);
                connection.attach(connections.size());
                connections.add(connection);
            }
        }
        return connections;
    }

    @Test
    void fiveThousandIdleConnectionsHoldNoReceiveBuffer() throws Exception {
        Server server = startEchoServer(2, 4096);
        Client client = startCountingClient();
        List<Connection> connections = connectNumbered(client, server.localAddress(), MANY, 1000);
        await("every connection accepted", () -> server.connectionCount() == MANY, 30);

        // Bytes on every connection first, so every receive has been armed and has taken and returned a buffer.
        echoOnEach(connections, 1);
        // An echo can reach the client before the server has heard its send complete: the send's lease comes
        // back with that completion, a moment later.
        await("receive buffers and send leases back once all is quiet",
                () -> server.receiveBuffersHeld() == 0 && client.receiveBuffersHeld() == 0
                        && server.bufferPool().leasesOutstanding() == 0
                        && client.bufferPool().leasesOutstanding() == 0, 10);
        for (int look = 0; look < 20; look++) {
            assertEquals(0, server.receiveBuffersHeld(), "server receive buffers held by idle connections");
            assertEquals(0, client.receiveBuffersHeld(), "client receive buffers held by idle connections");
            assertEquals(0, server.bufferPool().leasesOutstanding(), "server leases held by idle connections");
            assertEquals(0, client.bufferPool().leasesOutstanding(), "client leases held by idle connections");
            Thread.sleep(10);
        }
        assertEquals(MANY, server.connectionCount());
        assertEquals(MANY, client.connectionCount());

        // The receives armed before the pause still deliver: every connection echoes again.
        echoOnEach(connections, 2);
        await("receive buffers back after the second round",
                () -> server.receiveBuffersHeld() == 0 && client.receiveBuffersHeld() == 0, 10);
    }

    @Test
    void aBurstOfFiveThousandConnectsIsAcceptedThroughTheMultishotAccept() throws Exception {
        Server server = startEchoServer(1, 8192);
        Client client = startCountingClient();
        // All at once: the backlog (capped by somaxconn) and one multishot accept take the burst.
        List<Connection> connections = connectNumbered(client, server.localAddress(), MANY, MANY);
        await("onConnect for every connect", () -> serverLedger.connectCount() == MANY, 30);
        assertEquals(MANY, server.connectionCount());
        echoOnEach(connections, 1);
        assertEquals(MANY, serverLedger.connectCount(), "no connection accepted twice or invented");
    }

    @Test
    void cancelsAndClosesWhileReceivesSendsAndAcceptsAreInFlight() throws Exception {
        int rounds = 3000;
        byte[] large = new byte[1 << 20];
        LinkedBlockingQueue<Connection> toCloseElsewhere = new LinkedBlockingQueue<>();
        Set<Integer> closedByServer = ConcurrentHashMap.newKeySet();
        LongAdder closesWithSendInFlight = new LongAdder();
        // The server must go on reading while megabytes wait for a peer that does not read: its 'C' is what makes
        // the server close with the send in flight.
        Server server = startServer(Server.builder().bind("127.0.0.1", 0).ioThreads(2).framing(FRAMING)
                .pauseReadingWhenNotWritable(false)
                .handler(new LedgerHandler(serverLedger, (connection, packet) -> {
                    switch (packet.get(0)) {
                        case 'L' -> {
                            // More than the kernel's send buffer takes (loopback's grows to megabytes).
                            for (int i = 0; i < 6; i++) {
                                connection.send(ByteBuffer.wrap(large));
                            }
                        }
                        case 'Q' -> {
                            for (int i = 0; i < 2; i++) {
                                connection.send(ByteBuffer.wrap(large));
                            }
                            connection.close();
                        }
                        case 'C' -> {
                            if (connection.queuedBytes() > 0) {
                                closesWithSendInFlight.increment();
                            }
                            connection.close();
                            closedByServer.add(connection.remoteAddress().getPort());
                        }
                        case 'T' -> {
                            connection.send(packet);
                            toCloseElsewhere.add(connection);
                        }
                        default -> connection.send(packet);
                    }
                })));
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> { }));
        AtomicBoolean peersDone = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                while (!peersDone.get() || !toCloseElsewhere.isEmpty()) {
                    Connection connection = toCloseElsewhere.poll(50, TimeUnit.MILLISECONDS);
                    if (connection != null) {
                        connection.close();
                    }
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        });
        InetSocketAddress address = server.localAddress();
        try {
            PeerRounds.run(8, rounds, Duration.ofSeconds(90), (n, random) -> {
                switch (n % 6) {
                    case 0 -> closeWithSendInFlight(address, closedByServer);
                    case 1 -> resetWithSendInFlight(address);
                    case 2 -> closeElsewhereWhileEchoesFlow(address);
                    case 3 -> queueThenClose(address);
                    case 4 -> clientClosesWhileItsOperationsAreInFlight(client, address, random);
                    default -> echoThenLeave(address, random);
                }
            });
        } finally {
            peersDone.set(true);
            closer.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertTrue(serverLedger.awaitAllDisconnected(20, TimeUnit.SECONDS), "every server connection ended");
        assertTrue(clientLedger.awaitAllDisconnected(20, TimeUnit.SECONDS), "every client connection ended");
        assertEquals(rounds, serverLedger.disconnectCount());
        assertEquals(rounds / 6, clientLedger.disconnectCount());
        await("server connections all released", () -> server.connectionCount() == 0, 10);
        await("client connections all released", () -> client.connectionCount() == 0, 10);
        await("server leases back", () -> server.bufferPool().leasesOutstanding() == 0, 10);
        await("client leases back", () -> client.bufferPool().leasesOutstanding() == 0, 10);
        assertEquals(List.of(), serverLedger.errors());
        assertEquals(List.of(), clientLedger.errors());
        assertTrue(closesWithSendInFlight.sum() > 0, "no close found a send in flight: the test tested nothing");
    }

    /** A peer that reads nothing while the server writes megabytes; the server closes with the send in flight. */
    private static void closeWithSendInFlight(InetSocketAddress address, Set<Integer> closedByServer)
            throws IOException, InterruptedException {
        try (FrameSocket peer = new FrameSocket(address, 4096)) {
            peer.send(new byte[]{'L'});
            // The first bytes prove the send started; the rest cannot fit while this peer does not read.
            peer.socket().getInputStream().readNBytes(4);
            peer.send(new byte[]{'C'});
            int port = peer.socket().getLocalPort();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!closedByServer.remove(port)) {
                assertTrue(System.nanoTime() - deadline < 0, "the server never closed");
                Thread.sleep(1);
            }
            peer.reset();
        } catch (SocketException resetByServer) {
            // Closing with unread bytes is a reset; either side may see it first.
        }
    }

    /** The peer resets while the server's send is in flight: the send fails, the connection ends once. */
    private static void resetWithSendInFlight(InetSocketAddress address) throws IOException {
        try (FrameSocket peer = new FrameSocket(address, 4096)) {
            peer.send(new byte[]{'L'});
            peer.socket().getInputStream().readNBytes(4);
            peer.reset();
        }
    }

    /** Another thread closes the connection while echoes go back and forth. */
    private static void closeElsewhereWhileEchoesFlow(InetSocketAddress address) throws IOException {
        try (FrameSocket peer = new FrameSocket(address)) {
            peer.send(new byte[]{'T'});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 100_000; i++) {
                byte[] ping = ByteBuffer.allocate(5).put((byte) 'e').putInt(i).array();
                peer.send(ping);
                byte[] echo = peer.receive();
                if (echo == null) {
                    return;
                }
                if (echo.length == 1) {
                    assertEquals('T', echo[0]);
                    echo = peer.receive();
                    if (echo == null) {
                        return;
                    }
                }
                assertArrayEquals(ping, echo);
                assertTrue(System.nanoTime() - deadline < 0, "the close from another thread never took effect");
            }
            throw new AssertionError("the close from another thread never took effect");
        } catch (SocketException resetByServer) {
            // The close may reach this peer as a reset while it writes.
        }
    }

    /** Sends queued and closed in one go: nothing may be written, everything released. */
    private static void queueThenClose(InetSocketAddress address) throws IOException {
        try (FrameSocket peer = new FrameSocket(address)) {
            peer.send(new byte[]{'Q'});
            InputStream in = peer.socket().getInputStream();
            byte[] sink = new byte[64 << 10];
            long read = 0;
            int n;
            while ((n = in.read(sink)) >= 0) {
                read += n;
                assertTrue(read <= 2L * (1 << 20) + 64, "more bytes than were sent");
            }
        } catch (SocketException resetByServer) {
            // Fine: the close raced the peer's read.
        }
    }

    /** An iocp4j client sends large frames and closes at once, or after the first echo, from a foreign thread. */
    private static void clientClosesWhileItsOperationsAreInFlight(Client client, InetSocketAddress address,
                                                                  Random random) throws Exception {
        Connection connection = client.connect(address).get(10, TimeUnit.SECONDS);
        byte[] frame = new byte[128 << 10];
        frame[0] = 'E';
        for (int i = 0; i < 4; i++) {
            connection.send(ByteBuffer.wrap(frame));
        }
        if (random.nextBoolean()) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        connection.close();
    }

    /** A few echoes, then the peer closes or resets with nothing pending. */
    private static void echoThenLeave(InetSocketAddress address, Random random) throws IOException {
        try (FrameSocket peer = new FrameSocket(address)) {
            for (int i = random.nextInt(3); i >= 0; i--) {
                byte[] ping = {'e', (byte) i};
                peer.send(ping);
                assertArrayEquals(ping, peer.receive());
            }
            if (random.nextBoolean()) {
                peer.reset();
            }
        }
    }

    @Test
    void aSlowReaderGetsEveryByteOfWritesTheSocketTookInPart() throws Exception {
        int frames = 200;
        Random random = new Random(11);
        int[] lengths = new int[frames];
        for (int i = 0; i < frames; i++) {
            lengths[i] = 1 + random.nextInt(64 << 10);
        }
        Server server = startServer(Server.builder().bind("127.0.0.1", 0).framing(FRAMING)
                .handler(new LedgerHandler(serverLedger, (connection, packet) -> {
                    for (int i = 0; i < frames; i++) {
                        connection.send(ByteBuffer.wrap(payload(i, lengths[i])));
                    }
                })));
        // A window of a few kilobytes: the socket takes each gathering write only in part.
        try (FrameSocket peer = new FrameSocket(server.localAddress(), 4096)) {
            peer.send(new byte[]{'s'});
            for (int i = 0; i < frames; i++) {
                assertArrayEquals(payload(i, lengths[i]), peer.receive(), "frame " + i);
            }
        }
    }

    /** Bytes that tell frames, and places within a frame, apart. */
    private static byte[] payload(int frame, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (frame * 31 + i * 7 + (i >>> 8));
        }
        return bytes;
    }

    @Test
    void listenersClosedWhileTheirAcceptIsInFlightEndOnceAndLeaveNothingRegistered() throws Exception {
        AtomicLong closeCompletions = new AtomicLong();
        AtomicLong otherCompletions = new AtomicLong();
        UringPort port = (UringPort) new UringTransportProvider().openPort(new PortConfig("uring-listener-test",
                new BufferPool(), (userData, result, flags, buffer) -> {
                    if (buffer != null) {
                        buffer.release();
                    }
                    (UserData.op(userData) == UserData.OP_CLOSE ? closeCompletions : otherCompletions)
                            .incrementAndGet();
                }));
        try {
            long staleBefore = RingTest.onPort(port, port::staleCompletions);
            List<TransportSocket> accepted = new ArrayList<>();
            for (int cycle = 0; cycle < 300; cycle++) {
                RecordingAcceptHandler handler = new RecordingAcceptHandler();
                Listener listener = port.listen(new InetSocketAddress("127.0.0.1", 0), 64, false, handler);
                List<Socket> peers = new ArrayList<>();
                for (int i = cycle % 4; i > 0; i--) {
                    peers.add(new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort()));
                }
                listener.close();
                listener.close();
                assertTrue(handler.closed.await(10, TimeUnit.SECONDS), "listener " + cycle + " reported closed");
                for (Socket peer : peers) {
                    peer.close();
                }
                assertEquals(1, handler.closedReports.get(), "onListenerClosed calls");
                assertTrue(handler.accepted.size() <= cycle % 4, "accepted more than connected");
                accepted.addAll(handler.accepted);
            }
            for (int i = 0; i < accepted.size(); i++) {
                TransportSocket socket = accepted.get(i);
                long userData = UserData.pack(i, 0, UserData.OP_CLOSE);
                port.execute(() -> socket.close(userData));
            }
            await("a close completion for each accepted socket",
                    () -> closeCompletions.get() == accepted.size(), 10);
            assertEquals(0, otherCompletions.get());
            assertEquals(0, RingTest.onPort(port, () -> port.registrations().inUse()),
                    "registrations left after every listener and socket closed");
            assertEquals(staleBefore, RingTest.onPort(port, port::staleCompletions), "stale completions");
            assertEquals(accepted.size(), closeCompletions.get());
        } finally {
            port.shutdown();
            assertTrue(port.awaitTermination(Duration.ofSeconds(10)));
        }
    }

    private static final class RecordingAcceptHandler implements AcceptHandler {
        final List<TransportSocket> accepted = new ArrayList<>();
        final AtomicInteger closedReports = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onAccept(TransportSocket socket) {
            accepted.add(socket);
        }

        @Override
        public void onAcceptFailed(IOException error, boolean willRetry) {
            throw new AssertionError("accept failed", error);
        }

        @Override
        public void onListenerClosed() {
            closedReports.incrementAndGet();
            closed.countDown();
        }
    }

    @Test
    void serversShutDownWhileConnectsArriveEndEveryConnectionOnce() throws Exception {
        int connected = 0;
        for (int cycle = 0; cycle < 20; cycle++) {
            // Connection numbers start again with each server: one ledger each.
            LifetimeLedger ledger = new LifetimeLedger();
            Server server = startServer(Server.builder().bind("127.0.0.1", 0).ioThreads(2).backlog(64)
                    .framing(FRAMING).handler(LedgerHandler.echo(ledger)));
            InetSocketAddress address = server.localAddress();
            List<Socket> peers = new ArrayList<>();
            CountDownLatch someConnected = new CountDownLatch(5);
            Thread connector = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 30; i++) {
                    try {
                        Socket peer = new Socket();
                        peers.add(peer);
                        peer.connect(address, 2000);
                        peer.getOutputStream().write(new byte[]{0, 0, 0, 1, 'e'});
                    } catch (IOException refusedOnceShutDown) {
                        // The listener is gone: what the shutdown is expected to cause.
                    }
                    someConnected.countDown();
                }
            });
            assertTrue(someConnected.await(10, TimeUnit.SECONDS));
            ShutdownReport report = server.shutdown(Duration.ZERO);
            connector.join(TimeUnit.SECONDS.toMillis(30));
            for (Socket peer : peers) {
                peer.close();
            }
            assertEquals(0, report.leasesOutstanding());
            assertEquals(0, server.connectionCount());
            assertEquals(report.connectionsClosed(), ledger.connectCount(), "connections the report counted");
            assertTrue(ledger.awaitAllDisconnected(10, TimeUnit.SECONDS));
            ledger.assertEveryConnectionEndedOnce();
            assertEquals(List.of(), ledger.errors());
            connected += ledger.connectCount();
        }
        assertTrue(connected > 0, "no connection made it in before a shutdown");
    }

    @Test
    void runningOutOfRingBuffersReArmsWithoutLosingAByte() throws Exception {
        Server server = startRawEchoServer(Map.of("iocp4j.uring.receiveBuffers", "2",
                "iocp4j.uring.receiveBufferSize", "64"));
        assertStreamsComeBackIntact(server, 8, 3 << 20);
    }

    @Test
    void queuesOfFourSubmissionsAndThirtyTwoCompletionsLoseNoByte() throws Exception {
        // Every turn fills the submission queue many times over, and completions overflow into the kernel's list.
        Server server = startRawEchoServer(Map.of("iocp4j.uring.entries", "4"));
        assertStreamsComeBackIntact(server, 16, 1 << 20);
    }

    @Test
    void repliesWaitingForASlowReaderHoldAtMostHalfTheRingWhileOthersAreServed() throws Exception {
        // An echo sends the receive buffer itself while the ring has buffers to spare, so a peer that does not read
        // keeps some of the ring lent through its queued replies; never more than half, or it would starve others.
        int ringBuffers = 8;
        Server server = startRawEchoServer(Map.of("iocp4j.uring.receiveBuffers", Integer.toString(ringBuffers),
                "iocp4j.uring.receiveBufferSize", "4096"), 1);
        int slowBytes = 16 << 20;
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(server.localAddress(), 10_000);
            slow.setSoTimeout(30_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    byte[] chunk = new byte[4096];
                    for (int offset = 0; offset < slowBytes; offset += chunk.length) {
                        fillNumbered(chunk, offset);
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await("the slow peer's replies to fill its queue past the high watermark", () -> server.connections()
                    .stream().anyMatch(info -> info.queuedBytes() >= 1 << 20), 30);
            int held = server.receiveBuffersHeld();
            assertTrue(held >= 1, "no reply was sent from its receive buffer");
            // One more than half: the receive being handled, if the port is in the middle of one.
            assertTrue(held <= ringBuffers / 2 + 1, held + " of " + ringBuffers + " ring buffers held by replies");

            assertStreamsComeBackIntact(server, 2, 256 << 10, false);

            InputStream in = slow.getInputStream();
            byte[] expected = new byte[4096];
            byte[] echoed = new byte[4096];
            for (int offset = 0; offset < slowBytes; offset += echoed.length) {
                in.readNBytes(echoed, 0, echoed.length);
                fillNumbered(expected, offset);
                assertArrayEquals(expected, echoed, "echo at byte " + offset);
            }
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
        await("ring buffers back", () -> server.receiveBuffersHeld() == 0, 10);
    }

    /** Bytes that say where in the stream they are: each 4-byte word is its own offset. */
    private static void fillNumbered(byte[] chunk, int streamOffset) {
        ByteBuffer words = ByteBuffer.wrap(chunk);
        for (int i = 0; i + 4 <= chunk.length; i += 4) {
            words.putInt(i, streamOffset + i);
        }
    }

    /** A server echoing raw bytes, its ports sized by {@code properties}, which are set only while it starts. */
    private Server startRawEchoServer(Map<String, String> properties) throws IOException {
        return startRawEchoServer(properties, 2);
    }

    private Server startRawEchoServer(Map<String, String> properties, int ioThreads) throws IOException {
        properties.forEach(System::setProperty);
        try {
            return startServer(Server.builder().ioThreads(ioThreads)
                    .bind(new InetSocketAddress("127.0.0.1", 0), Framing.none(), LedgerHandler.echo(serverLedger)));
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    /** {@code streams} peers each write random bytes in random chunks while reading the echo; all must match. */
    private void assertStreamsComeBackIntact(Server server, int streams, int bytesEach) throws Exception {
        assertStreamsComeBackIntact(server, streams, bytesEach, true);
    }

    /** As above; {@code thenAllGone}: no other connection is open, so every one must end and every buffer return. */
    private void assertStreamsComeBackIntact(Server server, int streams, int bytesEach, boolean thenAllGone)
            throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        byte[][] sentDigests = new byte[streams][];
        byte[][] receivedDigests = new byte[streams][];
        long[] receivedBytes = new long[streams];
        for (int s = 0; s < streams; s++) {
            int stream = s;
            Socket socket = new Socket();
            socket.connect(server.localAddress(), 10_000);
            socket.setSoTimeout(30_000);
            sockets.add(socket);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    sentDigests[stream] = writeRandomly(socket.getOutputStream(), new Random(stream), bytesEach);
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    InputStream in = socket.getInputStream();
                    byte[] chunk = new byte[16 << 10];
                    long total = 0;
                    while (total < bytesEach) {
                        int n = in.read(chunk, 0, (int) Math.min(chunk.length, bytesEach - total));
                        if (n < 0) {
                            break;
                        }
                        digest.update(chunk, 0, n);
                        total += n;
                    }
                    receivedBytes[stream] = total;
                    receivedDigests[stream] = digest.digest();
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(90));
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        assertEquals(List.of(), List.copyOf(failures));
        for (int s = 0; s < streams; s++) {
            assertEquals(bytesEach, receivedBytes[s], "bytes echoed on stream " + s);
            assertTrue(Arrays.equals(sentDigests[s], receivedDigests[s]), "stream " + s + " came back altered");
        }
        if (thenAllGone) {
            assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
            await("ring buffers back", () -> server.receiveBuffersHeld() == 0, 10);
        }
    }

    /** Writes {@code total} random bytes in random chunks; returns their SHA-256. */
    private static byte[] writeRandomly(OutputStream out, Random random, int total) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[8192];
        int written = 0;
        while (written < total) {
            int n = Math.min(total - written, 1 + random.nextInt(random.nextBoolean() ? 100 : chunk.length));
            random.nextBytes(chunk);
            out.write(chunk, 0, n);
            digest.update(chunk, 0, n);
            written += n;
        }
        out.flush();
        return digest.digest();
    }
}
