package io.iocp4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The iocp4j program run as a process of its own, on this JVM's java and class path. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern PORTS =
            Pattern.compile("packets on [^ ]+:(\\d+)(?:, raw echo on [^ ]+:(\\d+))?, transport (\\w+)");

    private final Process process;
    private final StringBuilder stderr = new StringBuilder();
    final int packetPort;
    final int rawPort;
    final String transport;

    private ServerProcess(Process process, String readyLine) {
        this.process = process;
        Matcher matcher = PORTS.matcher(readyLine);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected ready line: " + readyLine);
        }
        packetPort = Integer.parseInt(matcher.group(1));
        rawPort = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
        transport = matcher.group(3);
    }

    static Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    /** Starts the server and waits for its ready line. */
    static ServerProcess start(String... args) throws Exception {
        Process process = launch(args);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        if (line == null) {
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            process.destroyForcibly();
            throw new IllegalStateException("server exited before ready: " + errors);
        }
        ServerProcess server = new ServerProcess(process, line);
        Thread.ofPlatform().daemon().start(server::collectStderr);
        return server;
    }

    private void collectStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    /** Sends SIGTERM and waits for the process to end; its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
