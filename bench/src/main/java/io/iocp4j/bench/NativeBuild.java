package io.iocp4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The benchmark's C programs (the native echo servers and the C load generator), shipped as sources in the jar under
 * {@code native/} and built with gcc on first use into a directory under java.io.tmpdir.
 */
public final class NativeBuild {
    private NativeBuild() {
    }

    /** True when gcc runs here. */
    public static boolean compilerWorks() {
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
     * a digest of its source, so runs from different versions of the sources never start each other's binaries.
     */
    public static synchronized Path binary(String name) throws IOException, InterruptedException {
        byte[] source;
        try (InputStream in = NativeBuild.class.getResourceAsStream("/native/" + name + ".c")) {
            if (in == null) {
                throw new IllegalArgumentException("no C program named " + name + " (native/" + name
                        + ".c is not on the class path)");
            }
            source = in.readAllBytes();
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"),
                "iocp4j-bench-native-" + ProcessHandle.current().info().user().orElse("user"));
        Files.createDirectories(directory);
        Path binary = directory.resolve(name + "-" + digest(source));
        if (Files.isExecutable(binary)) {
            return binary;
        }
        // Built under a temporary name and moved into place, so a concurrent run never starts a half-written binary.
        Path temporarySource = Files.createTempFile(directory, name, ".c");
        Path temporaryBinary = directory.resolve(temporarySource.getFileName() + ".bin");
        try {
            Files.write(temporarySource, source);
            Process gcc;
            try {
                gcc = new ProcessBuilder("gcc", "-O2", "-o", temporaryBinary.toString(), temporarySource.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("gcc is needed to build " + name + " and could not be started: "
                        + e.getMessage(), e);
            }
            byte[] output = gcc.getInputStream().readAllBytes();
            if (gcc.waitFor() != 0) {
                throw new IOException("gcc could not build " + name + ": " + new String(output));
            }
            Files.move(temporaryBinary, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporarySource);
            Files.deleteIfExists(temporaryBinary);
        }
        return binary;
    }

    /** The first 12 hex digits of the SHA-256 of the source. */
    private static String digest(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
