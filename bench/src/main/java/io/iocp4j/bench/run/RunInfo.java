package io.iocp4j.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Where and when a run was made: the report's header. */
public record RunInfo(Instant started, Duration took, String cpu, int cpus, String kernel, String jdk,
                      String netty, boolean pinned) {
    static RunInfo describe(RunPlan plan, boolean pinned, Instant started, Duration took) {
        return new RunInfo(started.truncatedTo(ChronoUnit.SECONDS), took, cpuModel(),
                Runtime.getRuntime().availableProcessors(), read("/proc/sys/kernel/osrelease"),
                Runtime.version().toString() + " (" + System.getProperty("java.vm.name") + ")",
                io.netty.util.Version.identify().getOrDefault("netty-transport",
                        io.netty.util.Version.identify().values().iterator().next()).artifactVersion(), pinned);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
