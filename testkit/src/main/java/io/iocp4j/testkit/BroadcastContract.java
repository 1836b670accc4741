package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.ServerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Server.broadcast}: one buffer shared by every recipient, complete and in order at each, back in the pool
 * once the last recipient is done with it, whatever the recipients do meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class BroadcastContract extends ContractSupport {
    @Test
    void broadcastsAThousandFramesToAThousandConnectionsCompleteAndInOrder() throws Exception {
        int connections = 1000;
        int frames = 1000;
        Server server = startServer(LedgerHandler.echo(serverLedger));
        CountDownLatch done = new CountDownLatch(connections);
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> {
            int[] next = (int[]) connection.attachment();
            int sequence = packet.getInt(packet.position());
            if (sequence != next[0] || packet.remaining() != 40) {
                mismatches.add(connection + " expected frame " + next[0] + " got " + sequence);
            }
            if (++next[0] == frames) {
                done.countDown();
            }
        }).whenConnected(connection -> connection.attach(new int[1])));
        List<CompletableFuture<Connection>> opening = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            opening.add(client.connect(server.localAddress()));
        }
        for (CompletableFuture<Connection> future : opening) {
            future.get(30, TimeUnit.SECONDS);
        }
        awaitConnectionCount(server, connections);
        ByteBuffer packet = ByteBuffer.allocate(40);
        for (int i = 0; i < frames; i++) {
            packet.clear().putInt(0, i);
            assertEquals(connections, server.broadcast(packet), "recipients of frame " + i);
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "every connection got every frame; left: " + done.getCount());
        assertEquals(List.of(), List.copyOf(mismatches));
        for (Connection connection : client.connections()) {
            connection.close();
        }
        awaitConnectionCount(server, 0);
        // Every broadcast buffer came back once its last recipient wrote it; so did every receive buffer.
        awaitPoolEmpty(server);
        ServerStats stats = server.stats();
        assertEquals((long) connections * frames, stats.packetsOut());
        assertEquals((long) connections * frames * 44, stats.bytesOut());
    }

    @Test
    void aRecipientThatDoesNotReadIsClosedAsASlowConsumerAndHoldsUpNoOne() throws Exception {
        // 16 MiB in all: more than the kernel's buffers hold for a peer that reads nothing.
        int frames = 1024;
        int size = 16 << 10;
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .writeWatermarks(16 << 10, 64 << 10).maxQueuedBytes(256 << 10));
        try (FrameSocket slow = new FrameSocket(server.localAddress(), 4096);
             FrameSocket fast = AdmissionContract.echoing(server, null, 1)) {
            AdmissionContract.assertEchoes(slow, "slow says hello, then reads no more");
            AtomicBoolean fastDone = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < frames; i++) {
                        byte[] frame = fast.receive();
                        if (frame == null || frame.length != size || ByteBuffer.wrap(frame).getInt() != i) {
                            throw new AssertionError("fast peer's frame " + i);
                        }
                    }
                    fastDone.set(true);
                } catch (IOException | AssertionError e) {
                    failures.add(e);
                }
            });
            Connection fastOnServer = server.connections().stream()
                    .filter(info -> info.remoteAddress().equals(fast.socket().getLocalSocketAddress()))
                    .findFirst().flatMap(info -> server.connection(info.id())).orElseThrow();
            ByteBuffer packet = ByteBuffer.allocate(size);
            for (int i = 0; i < frames; i++) {
                packet.clear().putInt(0, i);
                server.broadcast(packet);
                // The broadcaster keeps pace with the fast peer only, as a server would with the peers it serves.
                awaitWritable(fastOnServer);
            }
            reader.join(Duration.ofSeconds(60));
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(fastDone.get(), "the fast peer got every frame");
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            assertEquals(1, serverLedger.reasonCount(CloseReason.SLOW_CONSUMER));
            AdmissionContract.assertEchoes(fast, "fast peer still served");
        }
        assertTrue(serverLedger.awaitDisconnects(2, 10, TimeUnit.SECONDS));
        awaitPoolEmpty(server);
    }

    private static void awaitWritable(Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.isWritable() && connection.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(connection.isWritable(), "fast peer writable again");
    }

    @Test
    void broadcastsRacingWithConnectionsComingAndGoingGiveEveryBufferBack() throws Exception {
        Server server = startServer(LedgerHandler.echo(serverLedger));
        Client client = startClient(new LedgerHandler(clientLedger, (connection, packet) -> { }));
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> broadcasters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            broadcasters.add(Thread.ofPlatform().start(() -> {
                ByteBuffer packet = ByteBuffer.allocate(512);
                try {
                    for (int i = 0; i < 20_000 && !stop.get(); i++) {
                        server.broadcast(packet.clear());
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (int round = 0; round < 20; round++) {
            List<CompletableFuture<Connection>> opening = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                opening.add(client.connect(server.localAddress()));
            }
            for (CompletableFuture<Connection> future : opening) {
                future.get(30, TimeUnit.SECONDS);
            }
            if (round % 2 == 0) {
                server.disconnectAll();
            } else {
                for (Connection connection : client.connections()) {
                    connection.close();
                }
            }
        }
        stop.set(true);
        for (Thread broadcaster : broadcasters) {
            broadcaster.join(Duration.ofSeconds(60));
        }
        assertEquals(List.of(), List.copyOf(failures));
        for (Connection connection : client.connections()) {
            connection.close();
        }
        assertTrue(clientLedger.awaitDisconnects(400, 30, TimeUnit.SECONDS));
        assertTrue(serverLedger.awaitDisconnects(400, 30, TimeUnit.SECONDS));
        awaitPoolEmpty(server);
        assertEquals(0, server.stats().connectionsNow());
    }
}
