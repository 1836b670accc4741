package io.iocp4j.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code openssl s_client} or {@code s_server} as a process of its own: a TLS implementation independent of the
 * JDK's, for the demo's TLS ports to interoperate with. Its standard output is read line by line, its standard
 * input stays open until it is stopped (s_server ends at the end of its input), and it is stopped through its own
 * handle, never by name. Found on the {@code PATH}, or where {@code iocp4j.openssl} says.
 */
final class OpensslProcess implements AutoCloseable {
    private static final long LINE_WAIT_SECONDS = 20;
    private static final long STOP_WAIT_SECONDS = 3;
    /** Put in the queue of lines at the end of the standard output. */
    private static final String END = new String("end of output");

    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderrFile;

    private OpensslProcess(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name("openssl-" + process.pid() + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // Stopped while reading: the end of its output all the same.
            } finally {
                lines.add(END);
            }
        });
    }

    /**
     * The openssl command. Where it is missing the test fails, loudly and saying how to get it: a TLS port that
     * was never tried against openssl must not pass as tested.
     */
    static String command() {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            System.err.println("""
                    !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                    !! openssl tests FAILED: no openssl %s.
                    !! bin/test installs it (Debian package openssl) when it can; or install openssl.
                    !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                    """.formatted(System.getProperty("iocp4j.openssl") != null
                    ? "at " + System.getProperty("iocp4j.openssl") + " (iocp4j.openssl)"
                    : "on the PATH (" + System.getenv("PATH") + ")"));
            fail("openssl is not installed: run bin/test, which installs it, or install openssl");
        }
        return found.get().toString();
    }

    private static Optional<Path> find() {
        String configured = System.getProperty("iocp4j.openssl");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "openssl"))) {
                return Optional.of(Path.of(directory, "openssl"));
            }
        }
        return Optional.empty();
    }

    /** Starts {@code openssl ARGS...}. */
    static OpensslProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(command()));
        command.addAll(List.of(args));
        Path stderrFile = Files.createTempFile("iocp4j-openssl", ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
        return new OpensslProcess(process, stderrFile);
    }

    void writeLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The next line of its standard output, waiting up to 20 s; fails the test, saying what it said, if none. */
    String nextLine() throws InterruptedException {
        String line = lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null || line == END) {
            if (line == END) {
                lines.add(END);
            }
            fail("openssl (pid " + process.pid() + ") " + (line == null ? "wrote no line within " + LINE_WAIT_SECONDS
                    + " s" : "ended its output") + "; its stderr: " + stderr());
        }
        return line;
    }

    /** The next line of its standard output that starts with {@code prefix}, the others skipped. */
    String nextLineStartingWith(String prefix) throws InterruptedException {
        for (;;) {
            String line = nextLine();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL after 3 s if it is still there. */
    @Override
    public void close() throws InterruptedException, IOException {
        try {
            process.destroy();
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(stderrFile);
        }
    }
}
