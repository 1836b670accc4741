package io.iocp4j.bench.run;

import io.iocp4j.bench.NativeBuild;
import io.iocp4j.bench.ProbeCommand;
import io.iocp4j.bench.peer.EchoPeers;
import io.iocp4j.bench.peer.NativePeers;
import io.iocp4j.bench.tls.BenchTls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts the servers and the generator as processes of their own (JVMs on this program's class path, or the C
 * programs), each pinned with taskset (server on CPU 0, generator on CPU 1) when taskset is there. Every Java server
 * gets the same JVM settings. TLS servers and the TLS generator share the bench certificate's directory.
 */
final class Processes {
    static final int SERVER_CPU = 0;
    static final int GENERATOR_CPU = 1;
    static final List<String> SERVER_JVM = List.of("-Xmx1g", "-Dio.netty.leakDetection.level=disabled");
    static final List<String> GENERATOR_JVM = List.of("-Xmx1g");

    private final RunPlan plan;
    private final boolean pinned;

    Processes(RunPlan plan) {
        this.plan = plan;
        this.pinned = tasksetWorks();
    }

    boolean pinned() {
        return pinned;
    }

    ChildProcess startServer(String server) throws IOException, InterruptedException {
        if (NativePeers.isNative(server)) {
            List<String> command = new ArrayList<>(pinning(SERVER_CPU));
            command.addAll(List.of(NativePeers.binary(server).toString(), "0"));
            return new ChildProcess(server, command);
        }
        List<String> arguments = new ArrayList<>(List.of(
                "echo-server", "--server", server, "--port", "0", "--io-threads", "1"));
        if (EchoPeers.isTls(server)) {
            arguments.addAll(List.of("--tls-dir", BenchTls.defaultDirectory().toString()));
        }
        return new ChildProcess(server, java(SERVER_CPU, SERVER_JVM, arguments.toArray(String[]::new)));
    }

    /**
     * The generator for one workload: the plan's for plain TCP (both kinds take the same options and print the same
     * lines), the Java one with TLS for a TLS workload, whatever the plan says: the C one speaks no TLS.
     */
    ChildProcess startGenerator(Workload workload, int port, long serverPid, long holdMillis)
            throws IOException, InterruptedException {
        String[] options = {
                "--port", Integer.toString(port),
                "--mode", workload.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "--connections", Integer.toString(workload.connections()),
                "--size", Integer.toString(workload.size()),
                "--depth", Integer.toString(workload.depth()),
                "--warmup-ms", Long.toString(plan.warmupMillis()),
                "--measure-ms", Long.toString(plan.measureMillis()),
                "--hold-ms", Long.toString(holdMillis),
                "--server-pid", Long.toString(serverPid)};
        List<String> command = switch (generatorFor(workload)) {
            case C -> {
                List<String> c = new ArrayList<>(pinning(GENERATOR_CPU));
                c.add(NativeBuild.binary(Generator.C_PROGRAM).toString());
                c.addAll(List.of(options));
                yield c;
            }
            case JAVA -> {
                List<String> arguments = new ArrayList<>(List.of("load"));
                arguments.addAll(List.of(options));
                if (workload.tls()) {
                    arguments.addAll(List.of("--tls", "--tls-dir", BenchTls.defaultDirectory().toString()));
                }
                yield java(GENERATOR_CPU, GENERATOR_JVM, arguments.toArray(String[]::new));
            }
        };
        return new ChildProcess("generator", command);
    }

    /** The generator that drives {@code workload}: the Java one for TLS, else the plan's. */
    Generator generatorFor(Workload workload) {
        return workload.tls() ? Generator.JAVA : plan.generator();
    }

    /** A java command line for io.iocp4j.bench.Main with the given arguments, pinned to {@code cpu}. */
    List<String> java(int cpu, List<String> jvmOptions, String... arguments) {
        List<String> command = new ArrayList<>(pinning(cpu));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.iocp4j.bench.Main"));
        command.addAll(List.of(arguments));
        return command;
    }

    private List<String> pinning(int cpu) {
        return pinned ? List.of("taskset", "-c", Integer.toString(cpu)) : List.of();
    }

    /** True when taskset can put a process on each of the two CPUs (this process may itself be pinned to one). */
    private static boolean tasksetWorks() {
        return canPin(SERVER_CPU) && canPin(GENERATOR_CPU);
    }

    private static boolean canPin(int cpu) {
        return ProbeCommand.succeeds("taskset", "-c", Integer.toString(cpu), "true");
    }
}
