package io.iocp4j.bench.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo server ({@code iocp4j server}, from the cli module's jar) in a process of its own, started with the JVM
 * options an attack asks for. Its output is read all along, by a thread of its own: a server printing dozens of
 * stack traces must never block on a full pipe, and its shutdown report is one of the things measured. It is
 * stopped only through its own {@link Process}, and a hook kills any server still running when this JVM ends (an
 * exception, or Ctrl-C).
 */
final class DemoServer implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("iocp4j server ready: packets on \\S+:(\\d+)");
    /** The prefix of the server's own report lines (its shutdown, an I/O thread's failure), as against log lines. */
    private static final String REPORT_PREFIX = "iocp4j: ";
    private static final int REPORT_LINES_KEPT = 10;
    private static final int LINES_KEPT = 40;
    private static final long READY_SECONDS = 60;

    /** Servers alive now, killed by the hook if this JVM ends first. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "kill-demo-servers"));
    }

    /** How a SIGTERM ended the server. */
    record Ending(long millis, int exitCode, boolean killed, long killedAfterSeconds, boolean exitedBefore) {
        String describe() {
            if (exitedBefore) {
                return "had exited by itself";
            }
            return killed ? "ignored, SIGKILL after " + killedAfterSeconds + " s"
                    : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
    }

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private volatile int port = -1;
    private final List<String> reportLines = new ArrayList<>();
    private volatile String firstError;
    private volatile int outOfMemoryLines;
    private volatile int stoppedByErrorLines;

    private DemoServer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        RUNNING.add(process);
        Thread.ofPlatform().daemon().name("demo-server-output").start(this::readOutput);
    }

    /**
     * Starts the server from {@code root}'s built cli module and waits for its ready line.
     *
     * @param jvmOptions  such as {@code -XX:MaxDirectMemorySize=1g}
     * @param serverFlags flags after {@code server}, beside those the tool always gives (loopback, port 0, no raw port)
     */
    static DemoServer start(Path root, List<String> jvmOptions, String transport, List<String> serverFlags)
            throws IOException, InterruptedException {
        Path jar = root.resolve("cli/target/iocp4j-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no " + jar + ": build the project first (bin/iocp4j builds it)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=io.iocp4j.uring");
        command.addAll(jvmOptions);
        command.addAll(List.of("-p", root.resolve("cli/target/lib") + ":" + jar,
                "-m", "io.iocp4j.cli/io.iocp4j.cli.Main", "server",
                "--host", "127.0.0.1", "--port", "0", "--raw-echo-port", "0", "--transport", transport));
        command.addAll(serverFlags);
        DemoServer server = new DemoServer(command);
        if (!server.ready.await(READY_SECONDS, TimeUnit.SECONDS) || server.port < 0) {
            server.close();
            throw new IOException("the demo server did not start; its output: " + server.lastLines());
        }
        return server;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                note(line);
            }
        } catch (IOException ignored) {
            // The process ended.
        } finally {
            ready.countDown();
        }
    }

    private void note(String line) {
        Matcher matcher = READY.matcher(line);
        if (port < 0 && matcher.find()) {
            port = Integer.parseInt(matcher.group(1));
            ready.countDown();
        }
        if (port >= 0 && line.startsWith(REPORT_PREFIX)) {
            synchronized (reportLines) {
                if (reportLines.size() < REPORT_LINES_KEPT) {
                    reportLines.add(line);
                }
            }
        }
        if (firstError == null && !line.startsWith("\t") && (line.contains("Exception") || line.contains("Error"))) {
            firstError = line;
        }
        if (line.contains("OutOfMemoryError")) {
            outOfMemoryLines++;
        }
        if (line.contains("stopped by an error")) {
            stoppedByErrorLines++;
        }
        synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > LINES_KEPT) {
                lastLines.removeFirst();
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The report lines it printed after its ready line ("iocp4j: shut down in ..."), or null when none. */
    String shutdownReport() {
        synchronized (reportLines) {
            return reportLines.isEmpty() ? null : String.join(" / ", reportLines);
        }
    }

    /** Lines of its output that name an OutOfMemoryError (a stack trace's first line, or a log line). */
    int outOfMemoryLines() {
        return outOfMemoryLines;
    }

    /** Lines saying that an I/O thread ended by an error. */
    int stoppedByErrorLines() {
        return stoppedByErrorLines;
    }

    /** The first line of its output that names an exception or error (not a stack frame), or null. */
    String firstError() {
        return firstError;
    }

    String lastLines() {
        synchronized (lastLines) {
            return String.join(" | ", lastLines);
        }
    }

    /** Sends SIGTERM and waits for the exit, at most {@code boundSeconds}; then SIGKILL. */
    Ending terminate(long boundSeconds) throws InterruptedException {
        boolean exitedBefore = !process.isAlive();
        long start = System.nanoTime();
        // SIGTERM, the signal the demo server promises to shut down on, through the handle: Process.destroy would
        // also close our end of its output, and lose the report it prints on the way out.
        process.toHandle().destroy();
        boolean exited = process.waitFor(boundSeconds, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (!exited) {
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        RUNNING.remove(process);
        // Lets the output thread read the report line the server printed last.
        Thread.sleep(200);
        return new Ending(millis, process.isAlive() ? -1 : process.exitValue(), !exited, boundSeconds,
                exitedBefore);
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        RUNNING.remove(process);
    }
}
