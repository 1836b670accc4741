package io.iocp4j.bench.hostile;

import io.iocp4j.bench.Arguments;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/iocp4j-bench hostile}: each attack of issue 17 against the demo server, one fresh server process per
 * attack and transport, transports alternating within an attack so that both meet the same machine. Prints each
 * result as it comes, then the table, and writes the table as markdown.
 *
 * <pre>
 * bin/iocp4j-bench hostile [--transports uring,nio2] [--attacks slow-header,...] [--quick] [--out docs/hostile.md]
 *                          [--server-jvm "-Xmx1g ..."] [--connections 2000] [--slow-seconds 10] ...
 * </pre>
 */
public final class HostileBenchmark {
    private HostileBenchmark() {
    }

    public static void main(Arguments arguments) throws Exception {
        List<String> transports = arguments.textList("transports", "uring,nio2");
        for (String transport : transports) {
            if (!transport.equals("uring") && !transport.equals("nio2")) {
                throw new IllegalArgumentException("--transports takes uring and nio2, not " + transport);
            }
        }
        List<String> attacks = AttackCatalogue.checked(arguments.textList("attacks",
                String.join(",", AttackCatalogue.names())));
        HostileSettings settings = HostileSettings.from(arguments);
        String jvm = arguments.text("server-jvm", "").trim();
        List<String> serverJvm = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
        Path root = Path.of(System.getProperty("iocp4j.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(arguments.text("out", "docs/hostile.md"));
        arguments.requireAllUsed();

        String heading = heading(settings, serverJvm);
        System.out.print(heading);
        HostileRun run = new HostileRun(root, settings, serverJvm);
        List<HostileResult> results = new ArrayList<>();
        for (String attack : attacks) {
            for (String transport : transports) {
                System.out.printf(Locale.ROOT, "%s on %s ...%n", attack, transport);
                HostileResult result = run.run(attack, transport);
                results.add(result);
                System.out.println("  " + String.join("  ", HostileReport.cells(result)));
                HostileReport.details(result).forEach(line -> System.out.println("  " + line));
                // Written after each run, so that an interrupted run leaves what it measured.
                write(out, heading, results);
            }
        }
        System.out.println();
        System.out.print(HostileReport.text(results));
        System.out.println("written to " + out);
    }

    private static String heading(HostileSettings settings, List<String> serverJvm) {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(Locale.ROOT, "hostile peers against the demo server, %s, %d CPUs, %.0f GiB%n"
                        + "settings: %s%s%n%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(), memory / (double) (1L << 30), settings.asFlags(),
                serverJvm.isEmpty() ? "" : ", server JVM " + String.join(" ", serverJvm));
    }

    private static void write(Path out, String heading, List<HostileResult> results) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "# Hostile peers\n\n" + heading.replace("\n", "\n\n").stripTrailing() + "\n\n"
                + HostileReport.markdown(results));
    }
}
