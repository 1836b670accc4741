package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.stage.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte stages between the socket and the codec: stages that transform both ways, hold bytes and the handler's
 * onConnect, remove themselves, throw, run work off the I/O thread and send last bytes of their own, torn down by
 * every end a connection can have (close, reset, shutdown) and carried along when a connection moves between
 * ports. Every stage made is released exactly once, and every test ends with every lease back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class StageContract extends ContractSupport {
    private static final byte KEY = 0x5A;
    private final StageLedger stages = new StageLedger();

    @AfterEach
    void everyStageReleasedOnce() throws InterruptedException {
        // Connections a test's peers closed at its end are released soon after, on their I/O threads.
        waitUntil(() -> stages.releasedCount() == stages.made(), 10);
        stages.assertEachReleasedOnce();
        assertEquals(stages.made(), stages.releasedCount(), "stages released of those made");
    }

    private Server.Builder stagedServer(int ioThreads, Pipeline pipeline) {
        return serverBuilder(LedgerHandler.echo(serverLedger), ioThreads).pipeline(pipeline);
    }

    private Pipeline greetingThenXor() {
        return Pipeline.of(FRAMING,
                connection -> stages.made(new TestStages.Greeting(stages)),
                connection -> stages.made(new TestStages.Xor(stages, KEY)));
    }

    @Test
    void stagesTransformHoldAndRemoveThemselvesAcrossEverySplitOfTheBytes() throws Exception {
        Server server = start(stagedServer(2, greetingThenXor()));
        Random random = new Random(18);
        int peers = 40;
        int frames = 50;
        for (int peer = 0; peer < peers; peer++) {
            try (XorPeer client = new XorPeer(server.localAddress(), KEY)) {
                List<byte[]> sent = new ArrayList<>();
                ByteBuffer wire = ByteBuffer.allocate(64 << 10);
                wire.put(TestStages.HELLO);
                for (int i = 0; i < frames; i++) {
                    byte[] payload = new byte[1 + random.nextInt(peer % 4 == 0 ? 2000 : 40)];
                    random.nextBytes(payload);
                    sent.add(payload);
                    wire.put(client.frame(payload));
                }
                // The greeting and the frames behind it arrive split anywhere, a byte at a time for some peers.
                client.sendSplit(Arrays.copyOf(wire.array(), wire.position()), random, peer % 5 == 0 ? 1 : 0);
                for (byte[] payload : sent) {
                    assertArrayEquals(payload, client.receive(), "echo through the stages, peer " + peer);
                }
            }
        }
        assertTrue(serverLedger.awaitDisconnects(peers, 30, TimeUnit.SECONDS), "every peer ended");
        assertEquals(peers, stages.removedCount(), "each greeting stage removed itself once the greeting passed");
        assertEquals(peers, serverLedger.connectCount(), "onConnect once per peer, after its greeting");
        awaitPoolEmpty(server);
    }

    @Test
    void aStageHoldingOnConnectKeepsTheHandlerWaitingUntilItHasSeenItsBytes() throws Exception {
        Server server = start(stagedServer(1, greetingThenXor()));
        try (XorPeer client = new XorPeer(server.localAddress(), KEY)) {
            client.sendRaw(Arrays.copyOf(TestStages.HELLO, 2));
            awaitConnectionCount(server, 1);
            Thread.sleep(100);
            assertEquals(0, serverLedger.connectCount(), "no onConnect before the greeting is whole");
            assertTrue(server.stats().partialFrameBytes() > 0, "the stage's gathered bytes count in the budget");
            client.sendRaw(Arrays.copyOfRange(TestStages.HELLO, 2, 4));
            waitUntil(() -> serverLedger.connectCount() == 1, 10);
            assertEquals(1, serverLedger.connectCount(), "onConnect once the greeting passed");
            client.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, client.receive());
        }
    }

    @Test
    void aWrongGreetingEndsOnlyThatConnectionWithTheStagesReason() throws Exception {
        Server server = start(stagedServer(1, greetingThenXor()));
        try (XorPeer good = new XorPeer(server.localAddress(), KEY);
             XorPeer bad = new XorPeer(server.localAddress(), KEY)) {
            good.sendRaw(TestStages.HELLO);
            bad.sendRaw("HOLA".getBytes());
            assertTrue(bad.readsEndOfStream(), "the bad greeting's connection is closed");
            good.send(new byte[] {9});
            assertArrayEquals(new byte[] {9}, good.receive(), "the other connection goes on");
        }
        assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
        waitUntil(() -> server.stats().closed(CloseReason.PROTOCOL_ERROR) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.PROTOCOL_ERROR), "counted by its reason");
        assertEquals(0, server.stats().closed(CloseReason.STAGE_FAILED), "a refusal is not a failure");
        assertEquals(1, serverLedger.connectCount(), "the handler never heard of the refused connection");
        assertEquals(1, serverLedger.disconnectCount(), "nor of its end");
        assertTrue(serverLedger.errors().stream().anyMatch(e -> e.getMessage().equals("not a greeting")),
                "the stage's cause reached onError: " + serverLedger.errors());
    }

    @Test
    void aStageThatThrowsEndsItsConnectionAloneAndTheErrorReachesTheHandler() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .stage(connection -> stages.made(new TestStages.Tripwire(stages))));
        try (FrameSocket good = new FrameSocket(server.localAddress());
             FrameSocket bad = new FrameSocket(server.localAddress())) {
            good.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, good.receive());
            bad.send(new byte[] {TestStages.TRIP});
            assertTrue(bad.readsEndOfStream(), "the tripped connection is closed");
            good.send(new byte[] {2});
            assertArrayEquals(new byte[] {2}, good.receive(), "the other connection goes on");
        }
        assertTrue(serverLedger.awaitDisconnects(2, 10, TimeUnit.SECONDS));
        assertEquals(1, serverLedger.reasonCount(CloseReason.STAGE_FAILED));
        assertTrue(serverLedger.errors().stream().anyMatch(e -> e instanceof IllegalStateException),
                "the stage's exception reached onError: " + serverLedger.errors());
    }

    @Test
    void workOffThePortKeepsTheOrderOfEveryByte() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2)
                .stage(connection -> stages.made(new TestStages.OffPort(stages))));
        Random random = new Random(7);
        List<FrameSocket> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                peers.add(new FrameSocket(server.localAddress()));
            }
            for (int round = 0; round < 100; round++) {
                for (FrameSocket peer : peers) {
                    byte[] payload = new byte[1 + random.nextInt(300)];
                    random.nextBytes(payload);
                    peer.send(payload);
                    assertArrayEquals(payload, peer.receive(), "round " + round);
                }
            }
        } finally {
            for (FrameSocket peer : peers) {
                peer.close();
            }
        }
    }

    @Test
    void aGracefulCloseLetsAStageSendItsLastBytesAfterEverythingElse() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger)
                .whenConnected(connection -> {
                    connection.send(ByteBuffer.wrap(new byte[] {4, 2}));
                    connection.closeAfterFlush();
                }), 1)
                .stage(connection -> stages.made(new TestStages.Farewell(stages))));
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 10_000);
            socket.setSoTimeout(30_000);
            byte[] all = socket.getInputStream().readAllBytes();
            byte[] expected = ByteBuffer.allocate(6 + TestStages.BYE.length).putInt(2).put((byte) 4).put((byte) 2)
                    .put(TestStages.BYE).array();
            assertArrayEquals(expected, all, "the frame, then the stage's farewell, then the end");
        }
    }

    @Test
    void stagesHoldingBytesAreReleasedByCloseResetAndShutdown() throws Exception {
        Server server = start(stagedServer(2, greetingThenXor())
                .stage(connection -> stages.made(new TestStages.OffPort(stages))));
        List<XorPeer> peers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            XorPeer peer = new XorPeer(server.localAddress(), KEY);
            peers.add(peer);
            // Part of the greeting: the stage holds it, and the handler has not heard of the connection.
            peer.sendRaw(Arrays.copyOf(TestStages.HELLO, 1 + i % 3));
        }
        awaitConnectionCount(server, 60);
        for (int i = 0; i < 20; i++) {
            peers.get(i).reset();
        }
        for (int i = 20; i < 40; i++) {
            peers.get(i).close();
        }
        waitUntil(() -> server.connectionCount() == 20, 30);
        assertEquals(20, server.connectionCount(), "reset and closed peers ended on the server");
        ShutdownReport report = server.shutdown(Duration.ofSeconds(2));
        assertEquals(0, report.leasesOutstanding(), "what the stages held came back");
        for (XorPeer peer : peers) {
            peer.close();
        }
        assertEquals(60, stages.made() / 3, "three stages a connection");
        assertEquals(stages.made(), stages.releasedCount(), "every stage released");
    }

    @Test
    void aConnectionMovingBetweenPortsKeepsItsStagesAndItsBytes() throws Exception {
        Server server = start(stagedServer(2, greetingThenXor())
                .stage(connection -> stages.made(new TestStages.OffPort(stages))));
        Random random = new Random(21);
        try (XorPeer client = new XorPeer(server.localAddress(), KEY)) {
            client.sendRaw(TestStages.HELLO);
            awaitConnectionCount(server, 1);
            int moves = 0;
            for (int round = 0; round < 200; round++) {
                byte[] payload = new byte[1 + random.nextInt(500)];
                random.nextBytes(payload);
                client.send(payload);
                if (round % 2 == 0) {
                    ConnectionInfo info = server.connections().getFirst();
                    if (server.moveConnection(info.id(), 1 - info.ioThread()).get(10, TimeUnit.SECONDS)) {
                        moves++;
                    }
                }
                assertArrayEquals(payload, client.receive(), "round " + round);
            }
            assertTrue(moves > 0, "the connection moved: " + moves);
        }
    }

    /** A plain socket speaking 4-byte length-prefixed frames with every byte flipped by a key, as the Xor stage. */
    static final class XorPeer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final byte key;

        XorPeer(InetSocketAddress address, byte key) throws IOException {
            this.key = key;
            socket = new Socket();
            socket.connect(address, 10_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            InputStream raw = socket.getInputStream();
            in = new DataInputStream(new InputStream() {
                @Override
                public int read() throws IOException {
                    int b = raw.read();
                    return b < 0 ? b : (b ^ key) & 0xFF;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count = raw.read(buffer, offset, length);
                    for (int i = 0; i < count; i++) {
                        buffer[offset + i] ^= key;
                    }
                    return count;
                }
            });
            out = socket.getOutputStream();
        }

        /** A frame of {@code payload}, flipped, as it goes on the wire. */
        byte[] frame(byte[] payload) {
            byte[] frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
            for (int i = 0; i < frame.length; i++) {
                frame[i] ^= key;
            }
            return frame;
        }

        void send(byte[] payload) throws IOException {
            out.write(frame(payload));
            out.flush();
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Writes {@code bytes} in pieces of {@code piece} bytes, or of random sizes when it is 0. */
        void sendSplit(byte[] bytes, Random random, int piece) throws IOException {
            int at = 0;
            while (at < bytes.length) {
                int length = Math.min(bytes.length - at, piece > 0 ? piece : 1 + random.nextInt(700));
                out.write(bytes, at, length);
                out.flush();
                at += length;
            }
        }

        byte[] receive() throws IOException {
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return payload;
        }

        boolean readsEndOfStream() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
