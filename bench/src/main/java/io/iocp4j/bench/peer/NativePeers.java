package io.iocp4j.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The echo servers written in C (the native limit), shipped as sources in the jar and built with gcc on first use
 * into a directory under java.io.tmpdir. They speak to the runner as {@link EchoServerProgram} does.
 */
public final class NativePeers {
    public static final List<String> NAMES = List.of("c-epoll");

    private NativePeers() {
    }

    public static boolean isNative(String name) {
        return NAMES.contains(name);
    }

    /** The names whose server can be built here (gcc is on the PATH). */
    public static List<String> buildable() {
        return compilerWorks() ? NAMES : List.of();
    }

    /** The built server, compiling it first when its source is newer or it was never built. */
    public static synchronized Path binary(String name) throws IOException, InterruptedException {
        if (!isNative(name)) {
            throw new IllegalArgumentException("no native echo server named " + name);
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"),
                "iocp4j-bench-native-" + ProcessHandle.current().info().user().orElse("user"));
        Files.createDirectories(directory);
        Path source = directory.resolve(name + ".c");
        byte[] bytes;
        try (InputStream in = NativePeers.class.getResourceAsStream("/native/" + name + ".c")) {
            if (in == null) {
                throw new IOException("the source native/" + name + ".c is not on the class path");
            }
            bytes = in.readAllBytes();
        }
        Path binary = directory.resolve(name);
        if (!Files.exists(binary) || !Files.exists(source) || !java.util.Arrays.equals(Files.readAllBytes(source),
                bytes)) {
            Path temporary = Files.createTempFile(directory, name, ".c");
            Files.write(temporary, bytes);
            Files.move(temporary, source, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).start();
            byte[] output = gcc.getInputStream().readAllBytes();
            if (gcc.waitFor() != 0) {
                Files.deleteIfExists(binary);
                throw new IOException("gcc could not build " + name + ": " + new String(output));
            }
        }
        return binary;
    }

    private static boolean compilerWorks() {
        try {
            Process probe = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            probe.getInputStream().transferTo(OutputStream.nullOutputStream());
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
