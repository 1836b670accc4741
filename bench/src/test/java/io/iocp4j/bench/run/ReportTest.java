package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void theChartAndRawDataSitBesideTheReport() {
        assertEquals(Path.of("docs/benchmarks.svg"), Report.chartPath(Path.of("docs/benchmarks.md")));
        assertEquals(Path.of("docs/benchmarks.tsv"), Report.rawDataPath(Path.of("docs/benchmarks.md")));
    }
}
