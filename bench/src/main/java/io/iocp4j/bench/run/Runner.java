package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;
import io.iocp4j.bench.tls.BenchTls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/iocp4j bench}: every server of the plan under every workload of its kind (plain or TLS), each server a
 * process of its own pinned to CPU 0 and the generator one pinned to CPU 1, interleaved (A B C A B C ...) so that a
 * machine's drift spreads over all of them, then the report. Before each measurement it waits for the machine to be quiet, and it measures again
 * (up to twice) when others took more CPU during the measurement than the plan allows.
 */
public final class Runner {
    private final RunPlan plan;
    private final Processes processes;
    private final List<Measurement> measurements = new ArrayList<>();

    public Runner(RunPlan plan) {
        this.plan = plan;
        this.processes = new Processes(plan);
    }

    public static void run(RunPlan plan) throws Exception {
        new Runner(plan).runAll();
    }

    /** Runs the plan, writes the report, and returns every measurement taken. */
    public List<Measurement> runAll() throws Exception {
        Instant started = Instant.now();
        log("%d server(s) x %d workload(s) x %d repetition(s), %s measured after %s warm-up; generator: %s;"
                        + " pinned: %s", plan.servers().size(), plan.workloads().size(), plan.repetitions(),
                seconds(plan.measureMillis()), seconds(plan.warmupMillis()), generators(),
                processes.pinned() ? "server CPU 0, generator CPU 1" : "no (no taskset)");
        if (plan.hasTls()) {
            // Made before any process starts, so servers and generators find it there.
            BenchTls.in(BenchTls.defaultDirectory());
            log("TLS workloads: the Java TLS generator (the C one speaks no TLS), %s %s, certificate in %s",
                    BenchTls.PROTOCOL, BenchTls.CIPHER_SUITE, BenchTls.defaultDirectory());
        }
        for (int repetition = 1; repetition <= plan.repetitions(); repetition++) {
            for (Workload workload : plan.workloads()) {
                for (String server : plan.serversFor(workload)) {
                    Measurement measurement = measureClean(server, workload, repetition);
                    measurements.add(measurement);
                    log("%s", describe(measurement));
                }
            }
        }
        Duration took = Duration.between(started, Instant.now());
        RunInfo info = RunInfo.describe(plan, processes.pinned(), started, took);
        new Report(info, plan, measurements).write(plan.output());
        log("wrote %s and %s in %d s", plan.output(), Report.chartPath(plan.output()), took.toSeconds());
        return List.copyOf(measurements);
    }

    /** Measures until others took no more than the allowed CPU, at most the plan's attempts; keeps the cleanest. */
    private Measurement measureClean(String server, Workload workload, int repetition) throws Exception {
        Measurement best = null;
        for (int attempt = 1; attempt <= plan.attempts(); attempt++) {
            double waited = awaitQuiet();
            Measurement measurement = workload.mode() == Mode.IDLE
                    ? measureIdle(server, workload, repetition)
                    : measureLoaded(server, workload, repetition);
            measurement = with(measurement, "attempts", attempt, "quietWaitSeconds", waited);
            double foreign = measurement.values().getOrDefault("foreignCpu", 0.0);
            if (best == null || foreign < best.values().getOrDefault("foreignCpu", 0.0)) {
                best = measurement;
            }
            if (foreign <= plan.maxForeignCpu() || attempt == plan.attempts()) {
                break;
            }
            log("  %s %s: others used %.0f%% of a CPU meanwhile, measuring again", server, workload.name(), foreign);
        }
        return best;
    }

    private Measurement measureLoaded(String server, Workload workload, int repetition) throws Exception {
        try (ChildProcess echo = processes.startServer(server)) {
            String[] ready = echo.await("READY", 60).split(" ");
            int port = Integer.parseInt(ready[1]);
            long pid = Long.parseLong(ready[2]);
            long limit = (plan.warmupMillis() + plan.measureMillis()) / 1000 + 60;
            try (ChildProcess generator = processes.startGenerator(workload, port, pid, 0)) {
                String result = generator.await("RESULT", limit);
                return new Measurement(server, workload.name(), repetition, Measurement.parseResult(result));
            }
        }
    }

    private Measurement measureIdle(String server, Workload workload, int repetition) throws Exception {
        try (ChildProcess echo = processes.startServer(server)) {
            String[] ready = echo.await("READY", 60).split(" ");
            int port = Integer.parseInt(ready[1]);
            long pid = Long.parseLong(ready[2]);
            long[] before = memory(echo);
            long holdMillis = TimeUnit.MINUTES.toMillis(5);
            try (ChildProcess generator = processes.startGenerator(workload, port, pid, holdMillis)) {
                int open = Integer.parseInt(generator.await("OPEN", 300).split(" ")[1]);
                Thread.sleep(1000);
                long[] after = memory(echo);
                generator.send("stop");
                var values = new java.util.HashMap<>(Measurement.parseResult(generator.await("RESULT", 60)));
                values.put("heapPerConnection", (after[0] - before[0]) / (double) open);
                values.put("rssPerConnection", (after[1] - before[1]) / (double) open);
                values.put("heapBytes", (double) after[0]);
                values.put("rssBytes", (double) after[1]);
                return new Measurement(server, workload.name(), repetition, values);
            }
        }
    }

    /** [heap after GC, RSS] of the server, in bytes. */
    private static long[] memory(ChildProcess echo) throws IOException, InterruptedException {
        echo.send("memory");
        String line = echo.await("MEMORY", 120);
        var values = Measurement.parseResult("RESULT" + line.substring("MEMORY".length()));
        return new long[] {values.get("heap").longValue(), values.get("rss").longValue()};
    }

    /**
     * Waits (at most the plan's quiet wait) until the machine's other processes use less than the allowed CPU,
     * sampled over half a second; returns the seconds waited.
     */
    private double awaitQuiet() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(plan.quietWaitSeconds());
        while (true) {
            double busy = MachineLoad.busyPercent(500);
            if (busy <= plan.maxForeignCpu() || System.nanoTime() - deadline >= 0) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(500);
        }
    }

    private static Measurement with(Measurement measurement, String key1, double value1, String key2, double value2) {
        var values = new java.util.HashMap<>(measurement.values());
        values.put(key1, value1);
        values.put(key2, value2);
        return new Measurement(measurement.server(), measurement.workload(), measurement.repetition(), values);
    }

    private static String describe(Measurement m) {
        if (m.has("heapPerConnection")) {
            return String.format(Locale.ROOT, "rep %d  %-15s %-15s heap %,8.0f B/conn  RSS %,8.0f B/conn",
                    m.repetition(), m.workload(), m.server(), m.value("heapPerConnection"),
                    m.value("rssPerConnection"));
        }
        String rate = m.has("handshakesPerSec")
                ? String.format(Locale.ROOT, "%,10.0f handshakes/s", m.value("handshakesPerSec"))
                : String.format(Locale.ROOT, "%,10.0f msgs/s %,8.1f MB/s", m.value("msgsPerSec"), m.value("mbPerSec"));
        return String.format(Locale.ROOT, "rep %d  %-15s %-15s %s  p99 %,8.0f us  "
                        + "cpu: generator %3.0f%% server %3.0f%% others %3.0f%%%s", m.repetition(), m.workload(),
                m.server(), rate, m.value("p99us"), m.value("generatorCpu"), m.value("serverCpu"),
                m.value("foreignCpu"), Report.generatorBound(m.value("generatorCpu")) ? "  (generator-bound)" : "");
    }

    /** "c", or "java (TLS)", or "c, java for TLS": the generator of each kind of workload in the plan. */
    private String generators() {
        boolean plain = plan.workloads().stream().anyMatch(workload -> !workload.tls());
        if (!plan.hasTls()) {
            return plan.generator().optionValue();
        }
        return plain ? plan.generator().optionValue() + ", java for TLS" : "java (TLS)";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        System.out.flush();
    }

    /** Where the report goes when no --output is given: docs/benchmarks.md under the project (or here). */
    public static Path defaultOutput() {
        return Path.of(System.getProperty("iocp4j.root", "."), "docs", "benchmarks.md");
    }
}
