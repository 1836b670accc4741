package io.iocp4j.bench.run;

import io.iocp4j.bench.Arguments;
import io.iocp4j.bench.peer.EchoPeers;
import io.iocp4j.bench.peer.NativePeers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run measures and how long: the servers and workloads, repetitions, warm-up and measuring time, the quiet
 * gate (the most CPU others may use, and how long to wait for them to stop), and the load generator. Plain servers
 * run the plain workloads and TLS servers the TLS ones; a server or a workload left without a partner is refused.
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
        requirePartners(servers, workloads);
    }

    /**
     * From the command line of {@code bin/iocp4j bench}: {@code --quick}, {@code --servers a,b},
     * {@code --workloads x,y}, {@code --repetitions N}, {@code --warmup-ms}, {@code --measure-ms},
     * {@code --max-foreign-cpu PERCENT}, {@code --quiet-wait-s}, {@code --attempts N} (measurements taken when
     * others were busy), {@code --generator c|java}, {@code --output FILE.md}. Without {@code --workloads}, the
     * catalogue's of the servers' kinds (the plain ones when no server is named either); without {@code --servers},
     * every server here of the workloads' kinds.
     */
    public static RunPlan from(Arguments arguments) {
        boolean quick = arguments.flag("quick");
        List<String> named = arguments.text("servers", null) == null ? null : arguments.textList("servers", "");
        if (named != null) {
            List<String> known = new ArrayList<>(EchoPeers.NAMES);
            known.addAll(NativePeers.NAMES);
            known.addAll(EchoPeers.TLS_NAMES);
            for (String server : named) {
                if (!known.contains(server)) {
                    throw new IllegalArgumentException("no server named " + server + "; known: " + known);
                }
            }
        }
        List<Workload> workloads;
        if (arguments.text("workloads", null) != null) {
            workloads = Workload.select(arguments.textList("workloads", ""), quick);
        } else if (named != null) {
            workloads = new ArrayList<>();
            if (named.stream().anyMatch(server -> !EchoPeers.isTls(server))) {
                workloads.addAll(Workload.ofKind(false, quick));
            }
            if (named.stream().anyMatch(EchoPeers::isTls)) {
                workloads.addAll(Workload.ofKind(true, quick));
            }
        } else {
            workloads = Workload.ofKind(false, quick);
        }
        List<String> servers = named != null ? named : available(workloads);
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

    /** The servers that run {@code workload}: those of its kind, in the order named; the first is the base. */
    public List<String> serversFor(Workload workload) {
        return servers.stream().filter(server -> EchoPeers.isTls(server) == workload.tls()).toList();
    }

    /** True when a workload of the plan is over TLS. */
    public boolean hasTls() {
        return workloads.stream().anyMatch(Workload::tls);
    }

    /** Every server that runs here, of the kinds the workloads need. */
    private static List<String> available(List<Workload> workloads) {
        List<String> servers = new ArrayList<>();
        if (workloads.stream().anyMatch(workload -> !workload.tls())) {
            servers.addAll(EchoPeers.NAMES);
            servers.addAll(NativePeers.buildable());
        }
        if (workloads.stream().anyMatch(Workload::tls)) {
            servers.addAll(EchoPeers.availableTls());
        }
        return servers;
    }

    private static void requirePartners(List<String> servers, List<Workload> workloads) {
        for (Workload workload : workloads) {
            if (servers.stream().noneMatch(server -> EchoPeers.isTls(server) == workload.tls())) {
                throw new IllegalArgumentException(workload.tls()
                        ? workload.name() + " is a TLS workload and runs against TLS servers alone; name one of "
                                + EchoPeers.TLS_NAMES + " in --servers"
                        : workload.name() + " is a plain TCP workload and runs against plain servers alone; name"
                                + " one of " + EchoPeers.NAMES + " or " + NativePeers.NAMES + " in --servers");
            }
        }
        for (String server : servers) {
            boolean tls = EchoPeers.isTls(server);
            if (workloads.stream().noneMatch(workload -> workload.tls() == tls)) {
                throw new IllegalArgumentException(tls
                        ? server + " is a TLS server and runs the TLS workloads alone ("
                                + names(Workload.ofKind(true, false)) + "); none is in --workloads"
                        : server + " is a plain TCP server and runs the plain workloads alone ("
                                + names(Workload.ofKind(false, false)) + "); none is in --workloads");
            }
        }
    }

    private static String names(List<Workload> workloads) {
        return String.join(", ", workloads.stream().map(Workload::name).toList());
    }
}
