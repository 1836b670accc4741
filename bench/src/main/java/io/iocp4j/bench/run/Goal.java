package io.iocp4j.bench.run;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One goal of the issue, checked against a run: a server's median figure under a workload, either divided by a peer's
 * (a ratio) or on its own (an absolute bound), at least or at most a bound.
 */
public record Goal(String workload, String server, String key, String peer, double bound, boolean atMost) {
    /** The goals of issue 8 ("Benchmarks side by side: ahead of Netty, close to the native limit"). */
    public static final List<Goal> ISSUE_GOALS = List.of(
            new Goal("ping-pong-1000", "iocp4j-uring", "msgsPerSec", "netty-io_uring", 1.10, false),
            new Goal("ping-pong-1000", "iocp4j-uring", "msgsPerSec", "netty-epoll", 1.30, false),
            new Goal("ping-pong-100", "iocp4j-uring", "msgsPerSec", "netty-io_uring", 1.0, false),
            new Goal("ping-pong-100", "iocp4j-uring", "p99us", "netty-io_uring", 1.0, true),
            new Goal("ping-pong-1", "iocp4j-uring", "msgsPerSec", "netty-io_uring", 1.0, false),
            new Goal("ping-pong-1", "iocp4j-uring", "p99us", "netty-io_uring", 1.0, true),
            new Goal("pipeline", "iocp4j-uring", "mbPerSec", "netty-io_uring", 1.0, false),
            new Goal("pipeline", "iocp4j-nio2", "mbPerSec", "jdk-nio2", 1.0, false),
            new Goal("idle", "iocp4j-uring", "heapPerConnection", null, 400, true),
            new Goal("idle", "iocp4j-uring", "rssPerConnection", null, 1000, true),
            new Goal("idle", "iocp4j-nio2", "heapPerConnection", null, 400, true),
            new Goal("idle", "iocp4j-nio2", "rssPerConnection", null, 1000, true));

    /** The goal's figure in this run (a ratio, or the server's own median), if both sides were measured. */
    public Optional<Double> figure(List<Measurement> measurements) {
        Optional<Statistics> own = Statistics.of(measurements, server, workload, key);
        if (peer == null) {
            return own.map(Statistics::median);
        }
        Optional<Statistics> other = Statistics.of(measurements, peer, workload, key);
        if (own.isEmpty() || other.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(own.get().ratioTo(other.get()));
    }

    public boolean metBy(double figure) {
        return atMost ? figure <= bound : figure >= bound;
    }

    /** "ping-pong-1000: iocp4j-uring msgs/s >= 1.10 x netty-io_uring". */
    public String describe() {
        String comparison = atMost ? "<=" : ">=";
        if (peer == null) {
            return String.format(Locale.ROOT, "%s: %s %s %s %,.0f", workload, server, Report.label(key), comparison,
                    bound);
        }
        return String.format(Locale.ROOT, "%s: %s %s %s %.2f x %s", workload, server, Report.label(key), comparison,
                bound, peer);
    }
}
