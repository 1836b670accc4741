package io.iocp4j.bench.run;

import io.iocp4j.bench.Arguments;
import io.iocp4j.bench.peer.EchoPeers;
import io.iocp4j.bench.peer.NativePeers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run measures and how long: the servers and workloads, repetitions, warm-up and measuring time, the quiet
 * gate (the most CPU others may use, and how long to wait for them to stop), and the load generator.
 */
public record RunPlan(List<String> servers, List<Workload> workloads, int repetitions, long warmupMillis,
                      long measureMillis, double maxForeignCpu, int quietWaitSeconds, int attempts, boolean quick,
                      Generator generator, Path output) {
    public RunPlan {
        if (servers.isEmpty() || workloads.isEmpty()) {
            throw new IllegalArgumentException("needs at least one server and one workload");
        }
        if (repetitions < 1 || attempts < 1 || measureMillis < 100 || warmupMillis < 0) {
            throw new IllegalArgumentException("needs at least 1 repetition, 1 attempt and 100 ms of measuring");
        }
        if (generator == null) {
            throw new IllegalArgumentException("needs a load generator");
        }
        servers = List.copyOf(servers);
        workloads = List.copyOf(workloads);
    }

    /**
     * From the command line of {@code bin/iocp4j bench}: {@code --quick}, {@code --servers a,b},
     * {@code --workloads x,y}, {@code --repetitions N}, {@code --warmup-ms}, {@code --measure-ms},
     * {@code --max-foreign-cpu PERCENT}, {@code --quiet-wait-s}, {@code --attempts N} (measurements taken when
     * others were busy), {@code --generator c|java}, {@code --output FILE.md}.
     */
    public static RunPlan from(Arguments arguments) {
        boolean quick = arguments.flag("quick");
        List<String> known = new ArrayList<>(EchoPeers.NAMES);
        known.addAll(NativePeers.NAMES);
        List<String> available = new ArrayList<>(EchoPeers.NAMES);
        available.addAll(NativePeers.buildable());
        List<String> servers = arguments.textList("servers", String.join(",", available));
        for (String server : servers) {
            if (!known.contains(server)) {
                throw new IllegalArgumentException("no server named " + server + "; known: " + known);
            }
        }
        List<Workload> workloads = Workload.select(
                arguments.textList("workloads", String.join(",", Workload.catalogue(quick).keySet())), quick);
        return new RunPlan(servers, workloads,
                arguments.integer("repetitions", quick ? 1 : 3),
                arguments.integer("warmup-ms", quick ? 1000 : 2000),
                arguments.integer("measure-ms", quick ? 1500 : 5000),
                arguments.integer("max-foreign-cpu", 25),
                arguments.integer("quiet-wait-s", quick ? 1 : 30),
                arguments.integer("attempts", quick ? 1 : 3),
                quick,
                Generator.named(arguments.text("generator", null)),
                Path.of(arguments.text("output", Runner.defaultOutput().toString())));
    }
}
