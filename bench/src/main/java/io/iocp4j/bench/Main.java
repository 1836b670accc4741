package io.iocp4j.bench;

import io.iocp4j.bench.hostile.HostileBenchmark;
import io.iocp4j.bench.load.LoadGenerator;
import io.iocp4j.bench.peer.EchoServerProgram;
import io.iocp4j.bench.run.RunPlan;
import io.iocp4j.bench.run.Runner;
import io.iocp4j.bench.tls.BenchTls;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs the benchmark named first with the options that follow. A new benchmark is one more entry in PROGRAMS. */
public final class Main {
    /** A benchmark program, given the words after its name. */
    @FunctionalInterface
    interface Program {
        void run(List<String> args) throws Exception;
    }

    /** A benchmark program that takes {@code --name value} options: reads them (refusing unknown ones), then runs. */
    @FunctionalInterface
    interface OptionsProgram {
        void run(Arguments arguments) throws Exception;
    }

    private record Entry(String summary, Program program) {
    }

    private static final Map<String, Entry> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("bench", new Entry("every echo server under every workload, side by side; writes"
                + " docs/benchmarks.md [--quick] [--servers LIST] [--workloads LIST] [--repetitions N]",
                withOptions(arguments -> Runner.run(used(RunPlan.from(arguments), arguments)))));
        PROGRAMS.put("echo-server", new Entry("one echo server, driven by its standard input"
                + " --server NAME [--port P] [--io-threads N] [--tls-dir DIR]", withOptions(Main::echoServer)));
        PROGRAMS.put("load", new Entry("the Java load generator (native/c-load.c takes the same options, but TLS)"
                + " --port P --mode ping-pong|pipeline|idle|handshakes"
                + " [--connections C] [--size S] [--depth K] [--tls [--tls-dir DIR]] ...", withOptions(Main::load)));
        PROGRAMS.put("micro", new Entry("JMH micro-benchmarks of the hot paths [JMH options, e.g. -f 1 Frame]",
                // JMH parses its own options.
                args -> org.openjdk.jmh.Main.main(args.toArray(String[]::new))));
        PROGRAMS.put("ordered-replies", new Entry("one connection's throughput, ORDERED_REPLIES, by worker count",
                withOptions(OrderedRepliesThroughput::main)));
        PROGRAMS.put("skewed-load", new Entry("heavy and light connections skewed onto one I/O thread, rebalancing off"
                + " and on [--io-threads 2] [--heavy 4] [--light 400] [--seconds 5] [--rounds 3]",
                withOptions(SkewedLoad::main)));
        PROGRAMS.put("file-transfer", new Entry("a large file up and down on each transport, against iperf3"
                + " [--size-mib N] [--transports LIST] [--rounds N] [--variants \"NAME=-Dk=v;NAME=...\"]",
                withOptions(FileTransferThroughput::main)));
        PROGRAMS.put("hostile", new Entry("issue 17's hostile peers against the demo server, per transport: RSS,"
                + " descriptors, a witness's round trips, SIGTERM; writes docs/hostile.md [--quick]"
                + " [--transports LIST] [--attacks LIST] [--out FILE] [--server-jvm OPTIONS] ...",
                withOptions(HostileBenchmark::main)));
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || PROGRAMS.get(args[0]) == null) {
            if (args.length > 0) {
                System.err.println("iocp4j-bench: no benchmark named " + args[0]);
            }
            usage();
            System.exit(2);
        }
        try {
            PROGRAMS.get(args[0]).program().run(Arrays.asList(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("iocp4j-bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static Program withOptions(OptionsProgram program) {
        return args -> program.run(new Arguments(args));
    }

    private static <T> T used(T parsed, Arguments arguments) {
        arguments.requireAllUsed();
        return parsed;
    }

    private static void echoServer(Arguments arguments) throws Exception {
        String server = arguments.text("server", "iocp4j-uring");
        int port = arguments.integer("port", 0);
        int ioThreads = arguments.integer("io-threads", 1);
        Path tlsDirectory = Path.of(arguments.text("tls-dir", BenchTls.defaultDirectory().toString()));
        arguments.requireAllUsed();
        EchoServerProgram.run(server, port, ioThreads, tlsDirectory);
    }

    private static void load(Arguments arguments) throws Exception {
        String mode = arguments.text("mode", "ping-pong");
        boolean tls = arguments.flag("tls");
        Path tlsDirectory = Path.of(arguments.text("tls-dir", BenchTls.defaultDirectory().toString()));
        LoadGenerator.Settings settings = new LoadGenerator.Settings(
                arguments.integer("port", 7001),
                switch (mode) {
                    case "ping-pong", "pipeline", "idle", "handshakes" ->
                            LoadGenerator.Mode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
                    default -> throw new IllegalArgumentException(
                            "--mode must be ping-pong, pipeline, idle or handshakes");
                },
                arguments.integer("connections", 100),
                arguments.integer("size", 64),
                arguments.integer("depth", 1),
                arguments.integer("warmup-ms", 2000),
                arguments.integer("measure-ms", 5000),
                arguments.integer("hold-ms", 60_000),
                arguments.integer("server-pid", 0),
                tls ? tlsDirectory : null);
        arguments.requireAllUsed();
        LoadGenerator.run(settings);
    }

    private static void usage() {
        StringBuilder text = new StringBuilder("usage: bin/iocp4j-bench BENCHMARK [--option value ...]");
        PROGRAMS.forEach((name, entry) -> text.append(String.format("%n  %-16s %s", name, entry.summary())));
        System.err.println(text);
    }
}
