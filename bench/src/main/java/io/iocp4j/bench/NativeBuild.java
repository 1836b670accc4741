package io.iocp4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark's C programs (the native echo servers and the C load generator), shipped as sources in the jar under
 * {@code native/} and built with gcc on first use into a directory under java.io.tmpdir.
 */
public final class NativeBuild {
    /** The headers under native/ that the programs include, written beside each source that is built. */
    private static final List<String> HEADERS = List.of("echo-commands.h");

    private NativeBuild() {
    }

    /** True when gcc runs here. */
    public static boolean compilerWorks() {
        return ProbeCommand.succeeds("gcc", "--version");
    }

    /** True when the program of that name builds here (gcc is there and the headers it needs are). */
    public static boolean builds(String name) {
        try {
            binary(name);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The built program {@code native/NAME.c}, compiling it first when it was never built. The binary's name carries
     * a digest of its source and of the headers, so runs from different versions of the sources never start each
     * other's binaries.
     */
    public static synchronized Path binary(String name) throws IOException, InterruptedException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + ".c", resource(name + ".c", "no C program named " + name));
        for (String header : HEADERS) {
            files.put(header, resource(header, "the header native/" + header + " is missing"));
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"),
                "iocp4j-bench-native-" + ProcessHandle.current().info().user().orElse("user"));
        Files.createDirectories(directory);
        Path binary = directory.resolve(name + "-" + digest(files.values()));
        if (Files.isExecutable(binary)) {
            return binary;
        }
        // Built in a directory of its own and moved into place, so a concurrent run never starts a half-written
        // binary.
        Path build = Files.createTempDirectory(directory, name + "-build");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(build.resolve(file.getKey()), file.getValue());
            }
            Path built = build.resolve(name);
            Process gcc;
            try {
                gcc = new ProcessBuilder("gcc", "-O2", "-o", built.toString(), build.resolve(name + ".c").toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("gcc is needed to build " + name + " and could not be started: "
                        + e.getMessage(), e);
            }
            byte[] output = gcc.getInputStream().readAllBytes();
            if (gcc.waitFor() != 0) {
                throw new IOException("gcc could not build " + name + ": " + new String(output));
            }
            Files.move(built, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            try (Stream<Path> left = Files.list(build)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(build);
        }
        return binary;
    }

    private static byte[] resource(String file, String missing) throws IOException {
        try (InputStream in = NativeBuild.class.getResourceAsStream("/native/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException(missing + " (native/" + file + " is not on the class path)");
            }
            return in.readAllBytes();
        }
    }

    /** The first 12 hex digits of the SHA-256 of the files, one after the other. */
    private static String digest(Collection<byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach(sha::update);
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
