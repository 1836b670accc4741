package io.iocp4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The iocp4j program run as a process of its own, on this JVM's java and class path. */
final class ServerProcess implements AutoCloseable {
    static final Pattern READY = Pattern.compile("iocp4j server ready: packets on 127\\.0\\.0\\.1:(\\d+)"
            + "(?:, raw echo on 127\\.0\\.0\\.1:(\\d+))?(?:, chat on 127\\.0\\.0\\.1:(\\d+))?"
            + ", transport (\\w+)(?<tls>, tls)?, (\\d+) I/O threads?"
            + "(?:, (\\d+) workers? \\(([a-z-]+)\\))?"
            + "(?:, balancing [a-z-]+, (?:no rebalancing|rebalancing every [0-9.]+ s))?(?:, files in (.+?))?"
            + "(?:, chaos disconnect ([0-9.E-]+) per packet)?(?:, ports shared)?");
    private static final long READY_WAIT_SECONDS = 20;
    private static final long EXIT_WAIT_SECONDS = 20;
    /** A thread of its own per blocking read, so reads never wait for each other in a shared pool. */
    private static final Executor OWN_THREAD = task -> Thread.ofPlatform().daemon().start(task);

    /** What a process that ran to its end left behind. */
    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private final Process process;
    /** The server's standard output past the ready line. */
    private final BufferedReader stdout;
    /** The server's standard error goes to a file: nothing can be lost to a reader that started late. */
    private final Path stderrFile;
    final String readyLine;
    final int packetPort;
    final int rawPort;
    final int chatPort;
    final String transport;
    /** The ready line says the packet and chat ports speak TLS. */
    final boolean tls;

    private ServerProcess(Process process, BufferedReader stdout, Path stderrFile, String readyLine, Matcher ready) {
        this.process = process;
        this.stdout = stdout;
        this.stderrFile = stderrFile;
        this.readyLine = readyLine;
        packetPort = Integer.parseInt(ready.group(1));
        rawPort = ready.group(2) == null ? 0 : Integer.parseInt(ready.group(2));
        chatPort = ready.group(3) == null ? 0 : Integer.parseInt(ready.group(3));
        transport = ready.group(4);
        tls = ready.group("tls") != null;
    }

    static Process launch(String... args) throws IOException {
        return launch(List.of(), args);
    }

    static Process launch(List<String> jvmOptions, String... args) throws IOException {
        return new ProcessBuilder(command(jvmOptions, args)).start();
    }

    private static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the program with {@code input} on its standard input, to its end (killed after 20 s). */
    static Outcome run(byte[] input, String... args) throws Exception {
        return run(List.of(), input, args);
    }

    static Outcome run(List<String> jvmOptions, byte[] input, String... args) throws Exception {
        Process process = launch(jvmOptions, args);
        try {
            CompletableFuture<byte[]> out = readAll(process.getInputStream());
            CompletableFuture<byte[]> err = readAll(process.getErrorStream());
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException ignored) {
                // The program ended without reading all of it; its output says why.
            }
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new TimeoutException("iocp4j " + String.join(" ", args) + " did not end");
            }
            return new Outcome(process.exitValue(), text(out), text(err));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Starts the server and waits (up to 20 s) for its ready line. */
    static ServerProcess start(String... args) throws Exception {
        return start(List.of(), args);
    }

    static ServerProcess start(List<String> jvmOptions, String... args) throws Exception {
        return start(new ProcessBuilder(command(jvmOptions, args)));
    }

    /**
     * Starts the server as a machine with no locale set would: LANG=C and no LC_ variable, so the JDK names files
     * with ASCII only.
     */
    static ServerProcess startWithoutLocale(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(List.of(), args));
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANGUAGE"));
        builder.environment().put("LANG", "C");
        return start(builder);
    }

    /**
     * As {@link #startWithoutLocale}, through the launchers' locale setup (bin/lib/utf8-names.sh), as
     * {@code bin/iocp4j} starts the JVM: files are then named in UTF-8.
     */
    static ServerProcess startWithoutLocaleAsTheLauncherDoes(String... args) throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/utf8-names.sh");
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\" && exec \"$@\"", script.toString()));
        command.addAll(command(List.of(), args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANGUAGE"));
        builder.environment().put("LANG", "C");
        return start(builder);
    }

    private static ServerProcess start(ProcessBuilder builder) throws Exception {
        Path stderrFile = Files.createTempFile("iocp4j-server", ".stderr");
        Process process = builder.redirectError(stderrFile.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }, OWN_THREAD);
            String line = ready.get(READY_WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
                throw new IllegalStateException("server ended before it was ready: " + Files.readString(stderrFile));
            }
            Matcher matcher = READY.matcher(line);
            if (!matcher.matches()) {
                throw new IllegalStateException("not a ready line: " + line);
            }
            return new ServerProcess(process, out, stderrFile, line, matcher);
        } catch (Exception | Error e) {
            process.destroyForcibly();
            Files.deleteIfExists(stderrFile);
            throw e;
        }
    }

    /** The next line the server writes to its standard output after the ready line, waiting up to 20 s. */
    String nextLine() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }, OWN_THREAD).get(READY_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The process id, for messages: the test stops the process through its own handle, never by name. */
    long pid() {
        return process.pid();
    }

    /** What the server wrote to its standard error so far. */
    String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM and waits for the process to end (killing it after 20 s); its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            terminate();
        }
        Files.deleteIfExists(stderrFile);
    }

    private static CompletableFuture<byte[]> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, OWN_THREAD);
    }

    private static String text(CompletableFuture<byte[]> bytes) throws Exception {
        return new String(bytes.get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
}
