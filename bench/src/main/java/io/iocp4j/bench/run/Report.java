package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * docs/benchmarks.md and its chart from one run: per workload a table of every server's medians with their spread
 * and their ratio to the base server (the plan's first, iocp4j-uring by default), the issue's goals met or missed, and
 * every single measurement at the end so nothing is hidden behind a median.
 */
public final class Report {
    /**
     * Messages per second of the server's own CPU time: its cost per message, which others' load changes less than
     * throughput (a starved server still batches less, so it is a guide, not a measure).
     */
    static final String PER_CPU = "msgsPerServerCpuSecond";
    /** Notes on a run, written by hand, that the report links to when they are there. */
    static final String NOTES = "benchmarks-notes.md";

    private final RunInfo info;
    private final RunPlan plan;
    private final List<Measurement> measurements;
    private final String base;

    public Report(RunInfo info, RunPlan plan, List<Measurement> measurements) {
        this.info = info;
        this.plan = plan;
        this.measurements = measurements.stream().map(Report::withCostPerMessage).toList();
        this.base = plan.servers().getFirst();
    }

    /** The chart beside the report: benchmarks.md -> benchmarks.svg. */
    public static Path chartPath(Path report) {
        String name = report.getFileName().toString();
        String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        return report.resolveSibling(stem + ".svg");
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
        Path notes = report.resolveSibling(NOTES);
        if (Files.exists(notes)) {
            // The hand-written reading of a run (profiles, what was tried) is kept beside the generated tables.
            markdown = markdown.replaceFirst("\n\n", "\n\nHow to read this run, and where the time and memory go: ["
                    + NOTES + "](" + NOTES + ").\n\n");
        }
        Files.writeString(report, markdown);
    }

    static String label(String key) {
        return switch (key) {
            case "msgsPerSec" -> "msgs/s";
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
                info.pinned() ? " pinned to CPU 1" : "", plan.generator().description(), plan.repetitions(),
                plan.measureMillis() / 1000.0, plan.warmupMillis() / 1000.0, base));
        md.append("Latency is the round trip seen by the generator, from queuing a message to reading its whole echo,"
                + " corrected for coordinated omission (as HdrHistogram does; expected interval between sends on a"
                + " connection = the warm-up's median round trip / messages in flight). MB/s counts echoed payload one way."
                + " CPU columns are percent of one CPU during the measurement: the generator (when near 100 it, not"
                + " the server, may be the limit), the server, and everything else on the machine (other builds:"
                + " a measurement where they took more than " + (int) plan.maxForeignCpu() + "% was taken again, up to"
                + " " + plan.attempts() + " attempt(s) in all, keeping the cleanest). When others took a large share,"
                + " throughput says little; msgs per server CPU-s (messages per second of the server's own CPU time)"
                + " is a better guide to each server's cost per message, though a starved server batches less. Every figure of every measurement is in "
                + rawDataPath(Path.of("benchmarks.md")).getFileName() + ".\n\n");
        goals(md);
        if (plan.workloads().stream().anyMatch(w -> w.mode() != Mode.IDLE)) {
            md.append("![throughput as a ratio to ").append(base).append("](").append(chartFile).append(")\n\n");
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

    private void goals(StringBuilder md) {
        md.append("## Goals\n\nVerdicts come from the medians below, whatever share of the CPUs other processes took"
                + " meanwhile: read them beside the others CPU and generator CPU columns.\n\n"
                + "| goal | this run | |\n|---|---|---|\n");
        for (Goal goal : Goal.ISSUE_GOALS) {
            if (!plan.servers().contains(goal.server())
                    || (goal.peer() != null && !plan.servers().contains(goal.peer()))
                    || plan.workloads().stream().noneMatch(w -> w.name().equals(goal.workload()))) {
                continue;
            }
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
        md.append("| server | msgs/s | ratio | MB/s | p50 us | p99 us | ratio | p99.9 us | msgs per server CPU-s"
                + " | ratio | generator CPU | server CPU | others CPU |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String server : plan.servers()) {
            Optional<Statistics> rate = stats(server, workload, "msgsPerSec");
            if (rate.isEmpty()) {
                continue;
            }
            md.append("| ").append(server)
                    .append(" | ").append(withSpread(rate.get(), "%,.0f"))
                    .append(" | ").append(ratio(server, workload, "msgsPerSec"))
                    .append(" | ").append(median(server, workload, "mbPerSec", "%,.1f"))
                    .append(" | ").append(median(server, workload, "p50us", "%,.0f"))
                    .append(" | ").append(withSpread(stats(server, workload, "p99us").orElseThrow(), "%,.0f"))
                    .append(" | ").append(ratio(server, workload, "p99us"))
                    .append(" | ").append(median(server, workload, "p999us", "%,.0f"))
                    .append(" | ").append(median(server, workload, PER_CPU, "%,.0f"))
                    .append(" | ").append(ratio(server, workload, PER_CPU))
                    .append(" | ").append(median(server, workload, "generatorCpu", "%.0f%%"))
                    .append(" | ").append(median(server, workload, "serverCpu", "%.0f%%"))
                    .append(" | ").append(median(server, workload, "foreignCpu", "%.0f%%"))
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
        for (String server : plan.servers()) {
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
        md.append("## Every measurement\n\n| # | workload | server | msgs/s | p99 us | heap B/conn | RSS B/conn"
                + " | generator CPU | server CPU | others CPU | attempts |\n"
                + "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : measurements) {
            md.append("| ").append(m.repetition())
                    .append(" | ").append(m.workload())
                    .append(" | ").append(m.server())
                    .append(" | ").append(field(m, "msgsPerSec", "%,.0f"))
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
            String key = workload.mode() == Mode.PIPELINE ? "mbPerSec" : "msgsPerSec";
            Optional<Statistics> reference = stats(base, workload, key);
            if (reference.isEmpty()) {
                continue;
            }
            List<SvgChart.Bar> bars = new ArrayList<>();
            for (String server : plan.servers()) {
                stats(server, workload, key).ifPresent(s -> bars.add(new SvgChart.Bar(server,
                        s.ratioTo(reference.get()), String.format(Locale.ROOT, "%.2f x  (%,.0f %s)",
                        s.ratioTo(reference.get()), s.median(), label(key)))));
            }
            groups.add(new SvgChart.Group(workload.title(), bars));
        }
        return SvgChart.render("Throughput as a ratio to " + base + " (median of the run; longer is faster)",
                base + " = 1", 1.0, plan.servers(), groups);
    }

    private static Measurement withCostPerMessage(Measurement m) {
        if (!m.has("msgsPerSec") || !m.has("serverCpu") || m.value("serverCpu") <= 0) {
            return m;
        }
        var values = new java.util.HashMap<>(m.values());
        values.put(PER_CPU, m.value("msgsPerSec") / (m.value("serverCpu") / 100));
        return new Measurement(m.server(), m.workload(), m.repetition(), values);
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
        Optional<Statistics> reference = stats(base, workload, key);
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
