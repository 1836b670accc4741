package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsEndpointTest {
    @Test
    void metricsParseByTheExpositionRulesAndMatchTheServerStatsOfTheSameMoment() throws Exception {
        try (EchoFixture fixture = new EchoFixture(2)) {
            List<Socket> peers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                peers.add(fixture.connect());
            }
            for (int round = 0; round < 10; round++) {
                for (Socket peer : peers) {
                    EchoFixture.echo(peer, 100 + round);
                }
            }
            fixture.server.bans().add("127.0.0.1");
            new Socket("127.0.0.1", fixture.server.localAddress().getPort()).close();
            waitUntil(() -> fixture.server.stats().rejected(RejectReason.BANNED) == 1);
            fixture.server.bans().remove("127.0.0.1");
            fixture.server.disconnect(fixture.server.connections().getFirst().id());
            waitUntil(() -> fixture.server.stats().closed(CloseReason.CLOSED_LOCALLY) == 1);

            // Nothing moves now: the stats before and after the scrape agree, so the scrape saw the same moment.
            ServerStats before = fixture.server.stats();
            HttpResponse<String> response = fixture.get("/metrics");
            ServerStats after = fixture.server.stats();
            assertEquals(before.bytesIn(), after.bytesIn());
            assertEquals(before.packetsOut(), after.packetsOut());

            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    response.headers().firstValue("Content-Type").orElseThrow());
            ExpositionParser.Exposition metrics = ExpositionParser.parse(response.body());
            assertEquals(after.connectionsNow(), metrics.value("iocp4j_connections_open"));
            assertEquals(4, metrics.value("iocp4j_connections_open"));
            assertEquals(after.connectionsPeak(), metrics.value("iocp4j_connections_peak"));
            assertEquals(after.accepted(), metrics.value("iocp4j_connections_accepted_total"));
            assertEquals(after.bytesIn(), metrics.value("iocp4j_bytes_received_total"));
            assertEquals(after.bytesOut(), metrics.value("iocp4j_bytes_sent_total"));
            assertEquals(after.packetsIn(), metrics.value("iocp4j_packets_received_total"));
            assertEquals(55, metrics.value("iocp4j_packets_received_total"));
            assertEquals(after.packetsOut(), metrics.value("iocp4j_packets_sent_total"));
            assertEquals(after.migrations(), metrics.value("iocp4j_migrations_total"));
            for (RejectReason reason : RejectReason.values()) {
                assertEquals(after.rejected(reason),
                        metrics.value("iocp4j_connections_rejected_total{reason=\"" + reason + "\"}"));
            }
            assertEquals(1, metrics.value("iocp4j_connections_rejected_total{reason=\"BANNED\"}"));
            for (CloseReason reason : CloseReason.values()) {
                assertEquals(after.closed(reason),
                        metrics.value("iocp4j_connections_closed_total{reason=\"" + reason + "\"}"));
            }
            assertEquals(2, after.ports().size());
            for (PortStats port : after.ports()) {
                assertEquals(port.connections(),
                        metrics.value("iocp4j_io_thread_connections{port=\"" + port.port() + "\"}"));
                assertTrue(metrics.samples().containsKey("iocp4j_io_thread_load{port=\"" + port.port() + "\"}"));
            }
            assertEquals(fixture.server.receiveBuffersHeld(), metrics.value("iocp4j_receive_buffers_held"));
            assertEquals(fixture.server.bufferPool().leasesOutstanding(),
                    metrics.value("iocp4j_buffer_leases_outstanding"));
            assertEquals(0, metrics.value("iocp4j_job_queue_depth"));
            assertEquals(0, metrics.value("iocp4j_shutting_down"));

            for (String counter : List.of("iocp4j_connections_accepted_total", "iocp4j_connections_rejected_total",
                    "iocp4j_connections_closed_total", "iocp4j_bytes_received_total", "iocp4j_migrations_total")) {
                assertEquals("counter", metrics.types().get(counter), counter);
            }
            assertEquals("gauge", metrics.types().get("iocp4j_connections_open"));
            for (String family : metrics.types().keySet()) {
                assertTrue(family.startsWith("iocp4j_"), family);
                assertTrue(metrics.help().containsKey(family), "HELP for " + family);
            }
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
