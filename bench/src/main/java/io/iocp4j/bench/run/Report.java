package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;
import io.iocp4j.bench.tls.BenchTls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * docs/benchmarks.md and its chart from one run: per workload a table of every server's medians with their spread
 * and their ratio to the base server (the first the plan names of the workload's kind: iocp4j-uring by default for
 * plain TCP, iocp4j-uring-tls for TLS), the issue's goals met or missed, and every single measurement at the end so
 * nothing is hidden behind a median.
 */
public final class Report {
    /**
     * Messages per second of the server's own CPU time: its cost per message, which others' load changes less than
     * throughput (a starved server still batches less, so it is a guide, not a measure).
     */
    static final String PER_CPU = "msgsPerServerCpuSecond";
    /** Handshakes per second of the server's own CPU time. */
    static final String HANDSHAKES_PER_CPU = "handshakesPerServerCpuSecond";
    /**
     * Percent of its one CPU above which the single-threaded generator is taken to be the limit: the figure is then
     * how fast it drives, not how fast the server serves.
     */
    static final double GENERATOR_BOUND = 90;
    /** Notes on a run, written by hand, that the report links to when they are there: benchmarks-notes.md. */
    static final String NOTES = "-notes.md";

    private final RunInfo info;
    private final RunPlan plan;
    private final List<Measurement> measurements;

    public Report(RunInfo info, RunPlan plan, List<Measurement> measurements) {
        this.info = info;
        this.plan = plan;
        this.measurements = measurements.stream().map(Report::withCostPerMessage).toList();
    }

    /** True when a generator that used this much of its CPU is taken to be the limit. */
    static boolean generatorBound(double generatorCpu) {
        return generatorCpu >= GENERATOR_BOUND;
    }

    /** The chart beside the report: benchmarks.md -> benchmarks.svg. */
    public static Path chartPath(Path report) {
        return report.resolveSibling(stem(report) + ".svg");
    }

    /** The report's file name without .md: benchmarks.md -> benchmarks. */
    private static String stem(Path report) {
        String name = report.getFileName().toString();
        return name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    }

    /** The raw data beside the report: benchmarks.md -> benchmarks.tsv. */
    public static Path rawDataPath(Path report) {
        return chartPath(report).resolveSibling(chartPath(report).getFileName().toString().replace(".svg", ".tsv"));
    }

    public void write(Path report) throws IOException {
        Path parent = report.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(chartPath(report), chart());
        Files.writeString(rawDataPath(report), rawData());
        String markdown = markdown(chartPath(report).getFileName().toString());
        String notesFile = stem(report) + NOTES;
        Path notes = report.resolveSibling(notesFile);
        if (Files.exists(notes)) {
            // The hand-written reading of a run (profiles, what was tried) is kept beside the generated tables.
            markdown = markdown.replaceFirst("\n\n", "\n\nHow to read this run, and where the time and memory go: ["
                    + notesFile + "](" + notesFile + ").\n\n");
        }
        Files.writeString(report, markdown);
    }

    static String label(String key) {
        return switch (key) {
            case "msgsPerSec" -> "msgs/s";
            case "handshakesPerSec" -> "handshakes/s";
            case "mbPerSec" -> "MB/s";
            case "p50us" -> "p50 latency";
            case "p99us" -> "p99 latency";
            case "p999us" -> "p99.9 latency";
            case "heapPerConnection" -> "heap bytes/connection";
            case "rssPerConnection" -> "RSS bytes/connection";
            default -> key;
        };
    }

    String markdown(String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append(String.format(Locale.ROOT, "Written by `bin/iocp4j bench%s` on %s; the run took %d min %d s.%n%n",
                plan.quick() ? " --quick" : "", info.started(), info.took().toMinutes(), info.took().toSecondsPart()));
        md.append(String.format(Locale.ROOT, "Machine: %s, %d CPUs, Linux %s; %s; Netty %s.%n%n", info.cpu(),
                info.cpus(), info.kernel(), info.jdk(), info.netty()));
        md.append(String.format(Locale.ROOT, "Each server is a process of its own with 1 I/O thread%s, driven by one"
                        + " load generator process%s (%s). Servers and repetitions are interleaved"
                        + " (A B C A B C ...); each figure is the median of %d repetition(s) of %.1f s, after %.1f s"
                        + " of warm-up, with the spread (half the range, in %% of the median). **Ratios are to %s**"
                        + " measured in the same run: above 1 it is ahead in throughput, below 1 ahead in latency"
                        + " and memory.%n%n",
                info.pinned() ? " pinned to CPU 0" : " (not pinned: no taskset)",
                info.pinned() ? " pinned to CPU 1" : "", generators(), plan.repetitions(),
                plan.measureMillis() / 1000.0, plan.warmupMillis() / 1000.0, bases()));
        if (plan.hasTls()) {
            md.append(tlsSetUp());
        }
        md.append("Latency is the round trip seen by the generator, from queuing a message to reading its whole echo,"
                + " corrected for coordinated omission (as HdrHistogram does; expected interval between sends on a"
                + " connection = the warm-up's median round trip / messages in flight). MB/s counts echoed payload one way."
                + " CPU columns are percent of one CPU during the measurement: the generator (at "
                + (int) GENERATOR_BOUND + "% or more it, not the server, is taken to be the limit, and the last"
                + " column says so), the server, and everything else on the machine (other builds:"
                + " a measurement where they took more than " + (int) plan.maxForeignCpu() + "% was taken again, up to"
                + " " + plan.attempts() + " attempt(s) in all, keeping the cleanest). When others took a large share,"
                + " throughput says little; msgs per server CPU-s (messages per second of the server's own CPU time)"
                + " is a better guide to each server's cost per message, though a starved server batches less. Every figure of every measurement is in "
                + chartFile.replaceFirst("\\.svg$", ".tsv") + ".\n\n");
        goals(md);
        if (plan.workloads().stream().anyMatch(w -> w.mode() != Mode.IDLE)) {
            md.append("![throughput as a ratio to ").append(bases()).append("](").append(chartFile).append(")\n\n");
        }
        for (Workload workload : plan.workloads()) {
            if (workload.mode() == Mode.IDLE) {
                idleTable(md, workload);
            } else {
                loadTable(md, workload);
            }
        }
        everyMeasurement(md);
        return md.toString();
    }

    /** The goals this run can judge (their servers and workload are in it); none, no section. */
    private void goals(StringBuilder md) {
        List<Goal> judged = Goal.ISSUE_GOALS.stream().filter(goal -> plan.servers().contains(goal.server())
                && (goal.peer() == null || plan.servers().contains(goal.peer()))
                && plan.workloads().stream().anyMatch(w -> w.name().equals(goal.workload()))).toList();
        if (judged.isEmpty()) {
            return;
        }
        md.append("## Goals\n\nVerdicts come from the medians below, whatever share of the CPUs other processes took"
                + " meanwhile: read them beside the others CPU and generator CPU columns.\n\n"
                + "| goal | this run | |\n|---|---|---|\n");
        for (Goal goal : judged) {
            Optional<Double> figure = goal.figure(measurements);
            String shown = figure.map(f -> goal.peer() == null ? String.format(Locale.ROOT, "%,.0f", f)
                    : String.format(Locale.ROOT, "%.2f x", f)).orElse("not measured");
            String verdict = figure.map(f -> goal.metBy(f) ? "met" : "**missed**").orElse("");
            md.append("| ").append(goal.describe()).append(" | ").append(shown).append(" | ").append(verdict)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void loadTable(StringBuilder md, Workload workload) {
        md.append("## ").append(workload.title()).append("\n\n");
        boolean handshakes = workload.mode() == Mode.HANDSHAKES;
        String rateKey = workload.rateKey();
        String perCpu = handshakes ? HANDSHAKES_PER_CPU : PER_CPU;
        if (handshakes) {
            md.append("Latency here is a whole connection's: from the start of its connect to its echo back, through"
                    + " a full handshake.\n\n");
        }
        String unit = handshakes ? "handshakes" : "msgs";
        md.append("| server | ").append(label(rateKey)).append(" | ratio |").append(handshakes ? "" : " MB/s |")
                .append(" p50 us | p99 us | ratio | p99.9 us | ").append(unit).append(" per server CPU-s | ratio")
                .append(" | generator CPU | server CPU | others CPU | limit |\n|---|---:|---:|")
                .append(handshakes ? "" : "---:|").append("---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String server : plan.serversFor(workload)) {
            Optional<Statistics> rate = stats(server, workload, rateKey);
            if (rate.isEmpty()) {
                continue;
            }
            md.append("| ").append(server)
                    .append(" | ").append(withSpread(rate.get(), "%,.0f"))
                    .append(" | ").append(ratio(server, workload, rateKey));
            if (!handshakes) {
                md.append(" | ").append(median(server, workload, "mbPerSec", "%,.1f"));
            }
            md.append(" | ").append(median(server, workload, "p50us", "%,.0f"))
                    .append(" | ").append(withSpread(stats(server, workload, "p99us").orElseThrow(), "%,.0f"))
                    .append(" | ").append(ratio(server, workload, "p99us"))
                    .append(" | ").append(median(server, workload, "p999us", "%,.0f"))
                    .append(" | ").append(median(server, workload, perCpu, "%,.0f"))
                    .append(" | ").append(ratio(server, workload, perCpu))
                    .append(" | ").append(median(server, workload, "generatorCpu", "%.0f%%"))
                    .append(" | ").append(median(server, workload, "serverCpu", "%.0f%%"))
                    .append(" | ").append(median(server, workload, "foreignCpu", "%.0f%%"))
                    .append(" | ").append(stats(server, workload, "generatorCpu")
                            .filter(cpu -> generatorBound(cpu.median())).map(cpu -> "generator").orElse(""))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void idleTable(StringBuilder md, Workload workload) {
        md.append("## ").append(workload.title()).append("\n\n");
        md.append("Server heap in use after full collections, and resident set size, before and after opening the"
                + " connections (each echoes one byte first, so the server surely holds it), divided by their"
                + " number. A process here may not have more than 20,000 open files (hard limit, not raisable"
                + " without privileges), hence at most 19,000 connections: a larger run needs `ulimit -n` raised in"
                + " both processes (e.g. `LimitNOFILE` or `/etc/security/limits.conf`), more local ports"
                + " (`net.ipv4.ip_local_port_range`) or several generator addresses in 127.0.0.0/8, and a larger"
                + " `net.core.somaxconn`.\n\n");
        md.append("| server | heap B/conn | ratio | RSS B/conn | ratio |\n|---|---:|---:|---:|---:|\n");
        for (String server : plan.serversFor(workload)) {
            Optional<Statistics> heap = stats(server, workload, "heapPerConnection");
            if (heap.isEmpty()) {
                continue;
            }
            md.append("| ").append(server)
                    .append(" | ").append(withSpread(heap.get(), "%,.0f"))
                    .append(" | ").append(ratio(server, workload, "heapPerConnection"))
                    .append(" | ").append(withSpread(stats(server, workload, "rssPerConnection").orElseThrow(),
                            "%,.0f"))
                    .append(" | ").append(ratio(server, workload, "rssPerConnection"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void everyMeasurement(StringBuilder md) {
        md.append("## Every measurement\n\n| # | workload | server | msgs/s (handshakes/s) | p99 us | heap B/conn"
                + " | RSS B/conn"
                + " | generator CPU | server CPU | others CPU | attempts |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : measurements) {
            md.append("| ").append(m.repetition())
                    .append(" | ").append(m.workload())
                    .append(" | ").append(m.server())
                    .append(" | ").append(m.has("handshakesPerSec") ? field(m, "handshakesPerSec", "(%,.0f)")
                            : field(m, "msgsPerSec", "%,.0f"))
                    .append(" | ").append(field(m, "p99us", "%,.0f"))
                    .append(" | ").append(field(m, "heapPerConnection", "%,.0f"))
                    .append(" | ").append(field(m, "rssPerConnection", "%,.0f"))
                    .append(" | ").append(field(m, "generatorCpu", "%.0f%%"))
                    .append(" | ").append(field(m, "serverCpu", "%.0f%%"))
                    .append(" | ").append(field(m, "foreignCpu", "%.0f%%"))
                    .append(" | ").append(field(m, "attempts", "%.0f"))
                    .append(" |\n");
        }
    }

    String chart() {
        List<SvgChart.Group> groups = new ArrayList<>();
        for (Workload workload : plan.workloads()) {
            if (workload.mode() == Mode.IDLE) {
                continue;
            }
            String key = workload.chartKey();
            String base = base(workload);
            Optional<Statistics> reference = stats(base, workload, key);
            if (reference.isEmpty()) {
                continue;
            }
            List<SvgChart.Bar> bars = new ArrayList<>();
            for (String server : plan.serversFor(workload)) {
                stats(server, workload, key).ifPresent(s -> bars.add(new SvgChart.Bar(server,
                        s.ratioTo(reference.get()), String.format(Locale.ROOT, "%.2f x  (%,.0f %s)",
                        s.ratioTo(reference.get()), s.median(), label(key)))));
            }
            groups.add(new SvgChart.Group(oneBase() ? workload.title() : workload.title() + " (ratio to " + base + ")",
                    bars));
        }
        String base = oneBase() ? bases() : "the first server of each workload";
        return SvgChart.render("Throughput as a ratio to " + base + " (median of the run; longer is faster)",
                oneBase() ? base + " = 1" : "1", 1.0, plan.servers(), groups);
    }

    private static Measurement withCostPerMessage(Measurement m) {
        if (!m.has("serverCpu") || m.value("serverCpu") <= 0) {
            return m;
        }
        var values = new java.util.HashMap<>(m.values());
        if (m.has("msgsPerSec")) {
            values.put(PER_CPU, m.value("msgsPerSec") / (m.value("serverCpu") / 100));
        }
        if (m.has("handshakesPerSec")) {
            values.put(HANDSHAKES_PER_CPU, m.value("handshakesPerSec") / (m.value("serverCpu") / 100));
        }
        return new Measurement(m.server(), m.workload(), m.repetition(), values);
    }

    /** The server whose medians the others of the workload's kind are divided by: the first the plan names. */
    private String base(Workload workload) {
        return plan.serversFor(workload).getFirst();
    }

    /** The bases of the run: "iocp4j-uring", or one per kind when it has plain and TLS workloads. */
    private String bases() {
        Optional<String> plain = plan.workloads().stream().filter(w -> !w.tls()).map(this::base).findFirst();
        Optional<String> tls = plan.workloads().stream().filter(Workload::tls).map(this::base).findFirst();
        if (plain.isPresent() && tls.isPresent()) {
            return plain.get() + " (plain workloads) and " + tls.get() + " (TLS workloads)";
        }
        return plain.or(() -> tls).orElseThrow();
    }

    private boolean oneBase() {
        return !plan.hasTls() || plan.workloads().stream().allMatch(Workload::tls);
    }

    /** Which generator drove which workloads. */
    private String generators() {
        boolean plain = plan.workloads().stream().anyMatch(workload -> !workload.tls());
        String tls = "the Java TLS generator whatever --generator says, as the C one speaks no TLS: "
                + Generator.JAVA_TLS_DESCRIPTION;
        if (!plan.hasTls()) {
            return plan.generator().description();
        }
        return plain ? "plain TCP: " + plan.generator().description() + "; TLS: " + tls : tls;
    }

    /** How the TLS servers and the generator are set up, so that they do the same cryptography. */
    private static String tlsSetUp() {
        return "TLS: every TLS server presents the same self-signed EC P-256 certificate (made with keytool) and is"
                + " set to " + BenchTls.PROTOCOL + " with " + BenchTls.CIPHER_SUITE + " alone (BoringSSL, under"
                + " netty-io_uring-tls-openssl, does not let a TLS 1.3 suite be chosen and keeps its defaults); the"
                + " generator offers that version and suite alone and refuses a session that agreed on anything"
                + " else. The generator names no server to its SSLEngine, so it has no session to resume: every"
                + " handshake is a full one (ECDHE P-256, ECDSA). The generator's own share of the cryptography is"
                + " as large as the server's, so on two CPUs it is often the limit: read the generator CPU and"
                + " limit columns.\n\n";
    }

    /** Every figure of every measurement, one line each, tab-separated: the run's raw data. */
    String rawData() {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        measurements.forEach(m -> keys.addAll(m.values().keySet()));
        StringBuilder tsv = new StringBuilder("repetition\tworkload\tserver");
        keys.forEach(key -> tsv.append('\t').append(key));
        tsv.append('\n');
        for (Measurement m : measurements) {
            tsv.append(m.repetition()).append('\t').append(m.workload()).append('\t').append(m.server());
            keys.forEach(key -> tsv.append('\t').append(m.has(key) ? String.format(Locale.ROOT, "%.2f", m.value(key))
                    : ""));
            tsv.append('\n');
        }
        return tsv.toString();
    }

    private Optional<Statistics> stats(String server, Workload workload, String key) {
        return Statistics.of(measurements, server, workload.name(), key);
    }

    private String median(String server, Workload workload, String key, String format) {
        return stats(server, workload, key).map(s -> String.format(Locale.ROOT, format, s.median())).orElse("");
    }

    private String ratio(String server, Workload workload, String key) {
        Optional<Statistics> own = stats(server, workload, key);
        Optional<Statistics> reference = stats(base(workload), workload, key);
        if (own.isEmpty() || reference.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", own.get().ratioTo(reference.get()));
    }

    private static String withSpread(Statistics s, String format) {
        String median = String.format(Locale.ROOT, format, s.median());
        return s.count() < 2 ? median : String.format(Locale.ROOT, "%s ± %.0f%%", median, s.spreadPercent());
    }

    private static String field(Measurement m, String key, String format) {
        return m.has(key) ? String.format(Locale.ROOT, format, m.value(key)) : "";
    }
}
