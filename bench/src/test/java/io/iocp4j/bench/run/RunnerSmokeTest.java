package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;
import io.iocp4j.bench.NativeBuild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The runner end to end, briefly: one server process, a generator process, ping-pong and idle, then the report. */
class RunnerSmokeTest {
    @ParameterizedTest
    @EnumSource(Generator.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void measuresOneServerAndWritesTheReport(Generator generator, @TempDir Path directory) throws Exception {
        assumeTrue(generator != Generator.C || NativeBuild.compilerWorks(),
                "gcc is not on the PATH: the C load generator cannot be built, so it is not tested here");
        Path output = directory.resolve("benchmarks.md");
        RunPlan plan = new RunPlan(List.of("iocp4j-nio2"), List.of(
                new Workload("ping-pong-1", Mode.PING_PONG, 2, 64, 1, "ping-pong 64 B, 2 connections"),
                new Workload("idle", Mode.IDLE, 200, 1, 1, "idle, 200 connections")),
                1, 300, 700, 1000, 0, 1, true, generator, output);

        List<Measurement> measurements = new Runner(plan).runAll();

        assertEquals(2, measurements.size());
        Measurement ping = measurements.getFirst();
        assertTrue(ping.value("msgsPerSec") > 0, "echoes came back: " + ping);
        assertTrue(ping.value("p99us") > 0 && ping.value("p99us") >= ping.value("p50us"), ping.toString());
        assertEquals(2, ping.value("connections"));
        Measurement idle = measurements.get(1);
        assertEquals(200, idle.value("connections"), "every idle connection opened and echoed: " + idle);
        assertTrue(Double.isFinite(idle.value("heapPerConnection")), idle.toString());
        assertTrue(idle.value("rssBytes") > 0, idle.toString());
        String report = Files.readString(output);
        assertTrue(report.contains("| iocp4j-nio2 | "), report);
        assertTrue(report.contains(generator.description()), report);
        assertTrue(Files.readString(Report.chartPath(output)).startsWith("<svg"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void measuresATlsServerWithTheJavaTlsGeneratorWhateverTheGeneratorOption(@TempDir Path directory)
            throws Exception {
        Path output = directory.resolve("benchmarks.md");
        RunPlan plan = new RunPlan(List.of("iocp4j-nio2-tls"), List.of(
                new Workload("tls-ping-pong-100", Mode.PING_PONG, 2, 64, 1, "TLS ping-pong, 2 connections", true),
                new Workload("tls-handshakes", Mode.HANDSHAKES, 2, 64, 1, "TLS handshakes, 2 at a time", true)),
                1, 300, 700, 1000, 0, 1, true, Generator.C, output);

        List<Measurement> measurements = new Runner(plan).runAll();

        assertEquals(2, measurements.size());
        assertTrue(measurements.get(0).value("msgsPerSec") > 0, measurements.get(0).toString());
        assertTrue(measurements.get(1).value("handshakesPerSec") > 0, measurements.get(1).toString());
        String report = Files.readString(output);
        assertTrue(report.contains("| iocp4j-nio2-tls | "), report);
        assertTrue(report.contains(Generator.JAVA_TLS_DESCRIPTION), report);
    }
}
