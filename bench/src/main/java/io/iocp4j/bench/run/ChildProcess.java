package io.iocp4j.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A process the runner started: its output lines in a queue, its input for commands, stopped by its own PID. */
final class ChildProcess implements AutoCloseable {
    private static final String END = "\u0000end";

    private final String label;
    private final Process process;
    private final Writer input;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    ChildProcess(String label, List<String> command) throws IOException {
        this.label = label;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("output-of-" + label).start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process ended; END below tells the waiter.
            }
            lines.add(END);
        });
    }

    long pid() {
        return process.pid();
    }

    /** The first line starting with {@code prefix}, waiting at most the given time; fails with what was printed. */
    String await(String prefix, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(END)) {
                throw new IOException(label + (line == null ? " printed no " + prefix + " within " + seconds + " s"
                        : " ended before printing " + prefix) + "; its output: " + String.join(" | ", seen));
            }
            seen.add(line);
            if (seen.size() > 50) {
                seen.removeFirst();
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    void send(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    /** Closes its input (the signal to stop), waits a little, then kills it. */
    @Override
    public void close() throws InterruptedException {
        try {
            input.close();
        } catch (IOException ignored) {
            // Already gone.
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
