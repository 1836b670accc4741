package io.iocp4j.dist;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tarball as someone downloads it: unpacked into an empty folder and run with an environment that names no JDK,
 * so the runtime it ships is the only Java it can use.
 */
class DistributionIT {
    private static final Pattern READY = Pattern.compile("iocp4j server ready: packets on 127\\.0\\.0\\.1:(\\d+)");
    private static final byte TEXT = 0x01;

    @TempDir
    Path folder;

    private Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    @Timeout(120)
    void unpackedTarballServesTheDemoWithItsOwnRuntimeAndStopsCleanlyOnSigterm() throws Exception {
        Path tarball = Path.of(System.getProperty("iocp4j.dist.tarball"));
        Path home = unpack(tarball);

        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/iocp4j").toString(),
                "server", "--port", "0", "--raw-echo-port", "0")
                .directory(folder.toFile())
                .redirectError(folder.resolve("server.stderr").toFile());
        // As env -i: no JAVA_HOME, and a PATH whose java (if any) is not the one the tarball brings.
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        server = builder.start();

        BufferedReader stdout = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        String ready = stdout.readLine();
        assertNotNull(ready, () -> "the server ended before its ready line: " + stderr());
        Matcher matcher = READY.matcher(ready);
        assertTrue(matcher.lookingAt(), () -> "not a ready line: " + ready + "\n" + stderr());

        // The launcher execs the JVM, so the PID is java's own, and its executable is the shipped runtime's.
        Path executable = Files.readSymbolicLink(Path.of("/proc", Long.toString(server.pid()), "exe"));
        assertTrue(executable.startsWith(home.resolve("runtime").toRealPath()), () -> "runs on " + executable);

        byte[] body = "hello from the tarball".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(body, echo(Integer.parseInt(matcher.group(1)), body));

        // Process.destroy sends SIGTERM to the PID; the server's graceful shutdown then exits 0.
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        assertEquals(0, server.exitValue(), this::stderr);
    }

    private Path unpack(Path tarball) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue(), output);
        String name = tarball.getFileName().toString().replace(".tar.gz", "");
        return folder.resolve(name).toRealPath();
    }

    /** One TEXT frame out (4-byte big-endian length of type and body, the type, the body) and its answer back. */
    private static byte[] echo(int port, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(1 + body.length);
            out.writeByte(TEXT);
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            assertEquals(TEXT, in.readByte(), "answer type");
            byte[] answer = new byte[length - 1];
            in.readFully(answer);
            return answer;
        }
    }

    private String stderr() {
        try {
            return Files.readString(folder.resolve("server.stderr"));
        } catch (Exception e) {
            return "(no standard error: " + e + ")";
        }
    }
}
