package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static final Workload PING = new Workload("ping-pong-1000", Mode.PING_PONG, 1000, 64, 1, "ping title");
    private static final Workload IDLE = new Workload("idle", Mode.IDLE, 100, 1, 1, "idle title");

    @Test
    void tablesShowMediansSpreadsAndRatiosToTheFirstServer() {
        List<Measurement> measurements = new ArrayList<>();
        double[][] rates = {{100_000, 120_000, 110_000}, {50_000, 50_000, 60_000}};
        String[] servers = {"iocp4j-uring", "netty-io_uring"};
        for (int s = 0; s < 2; s++) {
            for (int r = 0; r < 3; r++) {
                measurements.add(new Measurement(servers[s], PING.name(), r + 1, Map.of("msgsPerSec", rates[s][r],
                        "mbPerSec", rates[s][r] * 64 / 1e6, "p50us", 10.0, "p99us", 100.0 * (s + 1), "p999us", 500.0,
                        "generatorCpu", 90.0, "serverCpu", 99.0, "foreignCpu", 3.0, "attempts", 1.0)));
            }
            measurements.add(new Measurement(servers[s], IDLE.name(), 1, Map.of("heapPerConnection", 300.0 * (s + 1),
                    "rssPerConnection", 2000.0)));
        }
        RunPlan plan = new RunPlan(List.of(servers), List.of(PING, IDLE), 3, 2000, 5000, 25, 30, 3, false,
                Generator.C, Path.of("docs/benchmarks.md"));
        RunInfo info = new RunInfo(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(75), "cpu", 2, "6.1",
                "25", "4.2", true);
        String markdown = new Report(info, plan, measurements).markdown("benchmarks.svg");

        assertTrue(markdown.contains("| iocp4j-uring | 110,000 ± 9% | 1.00 |"), markdown);
        assertTrue(markdown.contains("| netty-io_uring | 50,000 ± 10% | 0.45 |"), markdown);
        assertTrue(markdown.contains("| 200 ± 0% | 2.00 |"), "p99 and its ratio: " + markdown);
        // Messages per second of server CPU: 110,000 / 0.99 and 50,000 / 0.99.
        assertTrue(markdown.contains("| 500 | 111,111 | 1.00 | 90% |"), markdown);
        assertTrue(markdown.contains("| 500 | 50,505 | 0.45 | 90% |"), markdown);
        assertTrue(markdown.contains("| iocp4j-uring | 300 | 1.00 | 2,000 | 1.00 |"), markdown);
        assertTrue(markdown.contains("| netty-io_uring | 600 | 2.00 | 2,000 | 1.00 |"), markdown);
        // 110,000 / 50,000 = 2.2: both throughput goals met; idle heap met, RSS missed.
        assertTrue(markdown.contains("| ping-pong-1000: iocp4j-uring msgs/s >= 1.10 x netty-io_uring | 2.20 x | met |"),
                markdown);
        assertTrue(markdown.contains("| idle: iocp4j-uring heap bytes/connection <= 400 | 300 | met |"), markdown);
        assertTrue(markdown.contains("| idle: iocp4j-uring RSS bytes/connection <= 1,000 | 2,000 | **missed** |"),
                markdown);
        // A goal whose peer was not in the run is left out, not claimed.
        assertTrue(!markdown.contains("netty-epoll"), markdown);
        assertTrue(markdown.contains("took 1 min 15 s"), markdown);
        assertEquals(8, markdown.lines().filter(line -> line.matches("\\| \\d \\| (ping-pong-1000|idle) \\| .*"))
                .count(), "every measurement is listed");

        String chart = new Report(info, plan, measurements).chart();
        assertTrue(chart.contains("0.45 x  (50,000 msgs/s)"), chart);
    }

    @Test
    void tlsTablesGiveRatiosToTheFirstTlsServerAndSayWhenTheGeneratorIsTheLimit() {
        Workload pipeline = new Workload("pipeline", Mode.PIPELINE, 10, 4096, 16, "plain pipeline title");
        Workload tlsPing = new Workload("tls-ping-pong-100", Mode.PING_PONG, 100, 64, 1, "TLS ping title", true);
        Workload handshakes = new Workload("tls-handshakes", Mode.HANDSHAKES, 10, 64, 1, "handshakes title", true);
        List<Measurement> measurements = List.of(
                new Measurement("iocp4j-uring", pipeline.name(), 1, Map.of("msgsPerSec", 100_000.0,
                        "mbPerSec", 409.6, "p50us", 10.0, "p99us", 100.0, "p999us", 200.0, "generatorCpu", 60.0,
                        "serverCpu", 80.0, "foreignCpu", 0.0)),
                new Measurement("iocp4j-uring-tls", tlsPing.name(), 1, Map.of("msgsPerSec", 40_000.0,
                        "mbPerSec", 2.56, "p50us", 10.0, "p99us", 100.0, "p999us", 200.0, "generatorCpu", 97.0,
                        "serverCpu", 50.0, "foreignCpu", 1.0)),
                new Measurement("netty-io_uring-tls", tlsPing.name(), 1, Map.of("msgsPerSec", 20_000.0,
                        "mbPerSec", 1.28, "p50us", 10.0, "p99us", 300.0, "p999us", 400.0, "generatorCpu", 60.0,
                        "serverCpu", 100.0, "foreignCpu", 1.0)),
                new Measurement("iocp4j-uring-tls", handshakes.name(), 1, Map.of("handshakesPerSec", 1_000.0,
                        "p50us", 5_000.0, "p99us", 9_000.0, "p999us", 9_500.0, "generatorCpu", 99.0,
                        "serverCpu", 50.0, "foreignCpu", 2.0)),
                new Measurement("netty-io_uring-tls", handshakes.name(), 1, Map.of("handshakesPerSec", 1_500.0,
                        "p50us", 4_000.0, "p99us", 8_000.0, "p999us", 8_500.0, "generatorCpu", 99.0,
                        "serverCpu", 60.0, "foreignCpu", 2.0)));
        RunPlan plan = new RunPlan(List.of("iocp4j-uring", "iocp4j-uring-tls", "netty-io_uring-tls"),
                List.of(pipeline, tlsPing, handshakes), 1, 2000, 5000, 25, 30, 1, false, Generator.C,
                Path.of("docs/benchmarks.md"));
        RunInfo info = new RunInfo(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(75), "cpu", 2, "6.1",
                "25", "4.2", true);
        Report report = new Report(info, plan, measurements);
        String markdown = report.markdown("benchmarks.svg");

        assertTrue(markdown.contains("**Ratios are to iocp4j-uring (plain workloads) and iocp4j-uring-tls (TLS"
                + " workloads)**"), markdown);
        assertTrue(markdown.contains("(plain TCP: " + Generator.C.description() + "; TLS: the Java TLS generator"
                + " whatever --generator says, as the C one speaks no TLS: " + Generator.JAVA_TLS_DESCRIPTION + ")"),
                "the C generator is named for plain TCP, the Java one for TLS: " + markdown);
        assertFalse(markdown.contains("## Goals"), "no goal of the issue is judged by this run: " + markdown);
        assertTrue(markdown.contains("TLS_AES_128_GCM_SHA256 alone"), markdown);
        // The plain table lists the plain server alone, and the TLS tables the TLS servers.
        String plainTable = section(markdown, "## plain pipeline title");
        assertTrue(plainTable.contains("| iocp4j-uring | 100,000 | 1.00 | 409.6 |"), plainTable);
        assertFalse(plainTable.contains("-tls"), plainTable);
        String tlsTable = section(markdown, "## TLS ping title");
        assertTrue(tlsTable.contains("| iocp4j-uring-tls | 40,000 | 1.00 | 2.6 |"), tlsTable);
        assertTrue(tlsTable.contains("| netty-io_uring-tls | 20,000 | 0.50 | 1.3 |"), tlsTable);
        // 97 % of its CPU: the generator, not iocp4j, set that figure; at 60 % it did not.
        assertTrue(tlsTable.contains("| 97% | 50% | 1% | generator |"), tlsTable);
        assertTrue(tlsTable.contains("| 60% | 100% | 1% |  |"), tlsTable);
        String handshakeTable = section(markdown, "## handshakes title");
        assertTrue(handshakeTable.contains("| server | handshakes/s | ratio | p50 us |"), handshakeTable);
        // 1,500 / 0.60 server CPU = 2,500 handshakes per server CPU-second, against 1,000 / 0.50 = 2,000.
        assertTrue(handshakeTable.contains("| netty-io_uring-tls | 1,500 | 1.50 | 4,000 | 8,000 | 0.89 | 8,500"
                + " | 2,500 | 1.25 | 99% | 60% | 2% | generator |"), handshakeTable);
        assertTrue(markdown.contains("| 1 | tls-handshakes | iocp4j-uring-tls | (1,000) |"), markdown);

        String chart = report.chart();
        assertTrue(chart.contains("handshakes title (ratio to iocp4j-uring-tls)"), chart);
        assertTrue(chart.contains("1.50 x  (1,500 handshakes/s)"), chart);
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertTrue(start >= 0, "no " + heading + " in " + markdown);
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    @Test
    void aReportLinksOnlyTheNotesNamedAfterIt(@TempDir Path docs) throws Exception {
        Workload ping = new Workload("tls-ping-pong-100", Mode.PING_PONG, 100, 64, 1, "TLS ping title", true);
        RunPlan plan = new RunPlan(List.of("iocp4j-uring-tls"), List.of(ping), 1, 2000, 5000, 25, 30, 1, false,
                Generator.JAVA, docs.resolve("benchmarks-tls.md"));
        RunInfo info = new RunInfo(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(75), "cpu", 2, "6.1",
                "25", "4.2", true);
        List<Measurement> measurements = List.of(new Measurement("iocp4j-uring-tls", ping.name(), 1,
                Map.of("msgsPerSec", 1000.0, "mbPerSec", 0.064, "p50us", 1.0, "p99us", 2.0, "p999us", 3.0,
                        "generatorCpu", 50.0, "serverCpu", 50.0, "foreignCpu", 0.0)));
        Files.writeString(docs.resolve("benchmarks-notes.md"), "notes on the plain run");

        new Report(info, plan, measurements).write(docs.resolve("benchmarks-tls.md"));
        String withoutNotes = Files.readString(docs.resolve("benchmarks-tls.md"));
        Files.writeString(docs.resolve("benchmarks-tls-notes.md"), "notes on the TLS run");
        new Report(info, plan, measurements).write(docs.resolve("benchmarks-tls.md"));
        String withNotes = Files.readString(docs.resolve("benchmarks-tls.md"));

        assertFalse(withoutNotes.contains("benchmarks-notes.md"), withoutNotes);
        assertTrue(withoutNotes.contains("Every figure of every measurement is in benchmarks-tls.tsv."), withoutNotes);
        assertTrue(withNotes.contains("[benchmarks-tls-notes.md](benchmarks-tls-notes.md)"), withNotes);
        assertTrue(Files.exists(docs.resolve("benchmarks-tls.tsv")));
    }

    @Test
    void theChartAndRawDataSitBesideTheReport() {
        assertEquals(Path.of("docs/benchmarks.svg"), Report.chartPath(Path.of("docs/benchmarks.md")));
        assertEquals(Path.of("docs/benchmarks.tsv"), Report.rawDataPath(Path.of("docs/benchmarks.md")));
    }
}
