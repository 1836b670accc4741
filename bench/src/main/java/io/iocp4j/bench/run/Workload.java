package io.iocp4j.bench.run;

import io.iocp4j.bench.load.LoadGenerator.Mode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One load the runner puts on every server of its kind: how many connections, what size of message, how many in
 * flight, and whether over TLS (then it runs against the TLS servers alone, and the plain ones against the plain).
 */
public record Workload(String name, Mode mode, int connections, int size, int depth, String title, boolean tls) {
    /** The most connections one process may hold here: its hard open-file limit is 20,000. */
    public static final int MAX_IDLE_CONNECTIONS = 19_000;

    public Workload {
        if (mode == Mode.HANDSHAKES && !tls) {
            throw new IllegalArgumentException("workload " + name + ": handshakes are TLS handshakes");
        }
    }

    /** A plain TCP workload. */
    public Workload(String name, Mode mode, int connections, int size, int depth, String title) {
        this(name, mode, connections, size, depth, title, false);
    }

    /** The workloads of the issue, plain then TLS, by name, in the order the report shows them. */
    public static Map<String, Workload> catalogue(boolean quick) {
        Map<String, Workload> all = new LinkedHashMap<>();
        for (Workload workload : List.of(
                new Workload("ping-pong-1", Mode.PING_PONG, 1, 64, 1, "ping-pong 64 B, 1 connection"),
                new Workload("ping-pong-100", Mode.PING_PONG, 100, 64, 1, "ping-pong 64 B, 100 connections"),
                new Workload("ping-pong-1000", Mode.PING_PONG, 1000, 64, 1, "ping-pong 64 B, 1,000 connections"),
                new Workload("pipeline", Mode.PIPELINE, 10, 4096, 16, "pipeline 4 KiB x 16 in flight, 10 connections"),
                idle(quick ? 2_000 : MAX_IDLE_CONNECTIONS),
                new Workload("tls-ping-pong-100", Mode.PING_PONG, 100, 64, 1,
                        "TLS ping-pong 64 B, 100 connections", true),
                new Workload("tls-pipeline", Mode.PIPELINE, 10, 4096, 16,
                        "TLS pipeline 4 KiB x 16 in flight, 10 connections", true),
                new Workload("tls-handshakes", Mode.HANDSHAKES, 10, 64, 1,
                        "TLS handshakes: a new connection each (10 at a time), one 64 B echo, close", true))) {
            all.put(workload.name(), workload);
        }
        return all;
    }

    /** The catalogue's workloads of one kind: plain or TLS. */
    public static List<Workload> ofKind(boolean tls, boolean quick) {
        return catalogue(quick).values().stream().filter(workload -> workload.tls() == tls).toList();
    }

    private static Workload idle(int connections) {
        return new Workload("idle", Mode.IDLE, connections, 1, 1,
                String.format("idle, %,d connections", connections));
    }

    /** The named workloads of the catalogue, refusing unknown names. */
    public static List<Workload> select(List<String> names, boolean quick) {
        Map<String, Workload> all = catalogue(quick);
        return names.stream().map(name -> {
            Workload workload = all.get(name);
            if (workload == null) {
                throw new IllegalArgumentException("no workload named " + name + "; known: " + all.keySet());
            }
            return workload;
        }).toList();
    }

    /** The rate its table leads with: handshakes/s, or msgs/s. */
    String rateKey() {
        return mode == Mode.HANDSHAKES ? "handshakesPerSec" : "msgsPerSec";
    }

    /** The rate its bars in the chart show: MB/s for a pipeline, else {@link #rateKey}. */
    String chartKey() {
        return mode == Mode.PIPELINE ? "mbPerSec" : rateKey();
    }
}
