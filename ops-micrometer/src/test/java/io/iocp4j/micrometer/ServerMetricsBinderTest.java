package io.iocp4j.micrometer;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.RejectReason;
import io.iocp4j.Server;
import io.iocp4j.ServerStats;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerMetricsBinderTest {
    @Test
    void everyMeterReadsWhatTheServerStatsSay() throws Exception {
        Server server = Server.builder().bind("127.0.0.1", 0).transport(Transport.NIO2).ioThreads(2)
                .framing(Framing.lengthPrefixed(4, 1 << 16))
                .handler(new Handler() {
                    @Override
                    public void onPacket(Connection connection, ByteBuffer packet) {
                        connection.send(packet);
                    }
                })
                .start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ServerMetricsBinder(server, Tags.of("server", "echo")).bindTo(registry);
        List<Socket> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket peer = new Socket("127.0.0.1", server.localAddress().getPort());
                peer.setSoTimeout(20_000);
                peers.add(peer);
                for (int round = 0; round < 4; round++) {
                    echo(peer, 50 + round);
                }
            }
            server.bans().add("127.0.0.1");
            new Socket("127.0.0.1", server.localAddress().getPort()).close();
            waitUntil(() -> server.stats().rejected(RejectReason.BANNED) == 1);
            peers.removeFirst().close();
            waitUntil(() -> server.stats().closed(CloseReason.PEER_CLOSED) == 1);
            // Past the snapshot's age, so the meters read the server as it is now.
            Thread.sleep(StatsSnapshot.MAX_AGE_NANOS / 1_000_000 + 50);
            ServerStats stats = server.stats();

            assertEquals(stats.connectionsNow(), gauge(registry, "iocp4j.connections.open"));
            assertEquals(2, gauge(registry, "iocp4j.connections.open"));
            assertEquals(stats.connectionsPeak(), gauge(registry, "iocp4j.connections.peak"));
            assertEquals(stats.accepted(), counter(registry, "iocp4j.connections.accepted"));
            assertEquals(stats.bytesIn(), counter(registry, "iocp4j.bytes.received"));
            assertEquals(stats.bytesOut(), counter(registry, "iocp4j.bytes.sent"));
            assertEquals(12, counter(registry, "iocp4j.packets.received"));
            assertEquals(stats.packetsOut(), counter(registry, "iocp4j.packets.sent"));
            assertEquals(stats.migrations(), counter(registry, "iocp4j.migrations"));
            for (RejectReason reason : RejectReason.values()) {
                assertEquals(stats.rejected(reason), registry.get("iocp4j.connections.rejected")
                        .tag("reason", reason.name()).functionCounter().count());
            }
            for (CloseReason reason : CloseReason.values()) {
                assertEquals(stats.closed(reason), registry.get("iocp4j.connections.closed")
                        .tag("reason", reason.name()).functionCounter().count());
            }
            for (int port = 0; port < 2; port++) {
                assertEquals(stats.ports().get(port).connections(), registry.get("iocp4j.io.thread.connections")
                        .tag("port", Integer.toString(port)).gauge().value());
            }
            assertEquals(server.receiveBuffersHeld(), gauge(registry, "iocp4j.receive.buffers.held"));
            assertEquals(server.bufferPool().leasesOutstanding(), gauge(registry, "iocp4j.buffer.leases.outstanding"));
            assertEquals(0, gauge(registry, "iocp4j.job.queue.depth"));
            assertEquals(0, gauge(registry, "iocp4j.shutting.down"));
            assertEquals("echo", registry.get("iocp4j.connections.open").gauge().getId().getTag("server"));
        } finally {
            for (Socket peer : peers) {
                peer.close();
            }
            server.shutdown(Duration.ofSeconds(2));
        }
        assertEquals(1, gauge(registry, "iocp4j.shutting.down"));
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        Gauge gauge = registry.get(name).gauge();
        return gauge.value();
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        FunctionCounter counter = registry.get(name).functionCounter();
        return counter.count();
    }

    private static void echo(Socket peer, int size) throws IOException {
        byte[] frame = new byte[4 + size];
        ByteBuffer.wrap(frame).putInt(size);
        peer.getOutputStream().write(frame);
        if (peer.getInputStream().readNBytes(frame.length).length != frame.length) {
            throw new IOException("echo cut short");
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
