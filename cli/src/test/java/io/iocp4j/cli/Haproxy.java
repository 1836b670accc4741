package io.iocp4j.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of test servers: started on a loopback port with a configuration the test writes, in the
 * foreground, and stopped through its own process handle, never by name.
 */
final class Haproxy implements AutoCloseable {
    private static final List<String> LOCATIONS = List.of("/usr/sbin/haproxy", "/usr/bin/haproxy",
            "/usr/local/sbin/haproxy");

    private final Process process;
    private final Path log;
    final int port;

    private Haproxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The haproxy executable, or null where it is not installed (bin/test installs it). */
    static String executable() {
        return LOCATIONS.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
    }

    /** One backend server: its packet port (sent PROXY v2) and the ops port whose /health HAProxy checks. */
    record Backend(int port, int healthPort) {
    }

    /** Starts HAProxy on a free loopback port, balancing over {@code backends}; waits until it accepts. */
    static Haproxy start(Path directory, List<Backend> backends) throws Exception {
        int port = DemoServerEndToEnd.freePort();
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 4000
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 3
                    option redispatch
                frontend front
                    bind 127.0.0.1:%d
                    default_backend servers
                backend servers
                    balance roundrobin
                    option httpchk GET /health
                """.formatted(port));
        for (int i = 0; i < backends.size(); i++) {
            Backend backend = backends.get(i);
            config.append("    server s").append(i).append(" 127.0.0.1:").append(backend.port())
                    .append(" send-proxy-v2 check port ").append(backend.healthPort())
                    .append(" inter 200 fall 1 rise 1\n");
        }
        Path file = directory.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = directory.resolve("haproxy.log");
        Process process = new ProcessBuilder(executable(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Haproxy haproxy = new Haproxy(process, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!haproxy.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = haproxy.log();
                haproxy.close();
                throw new IOException("haproxy did not start: " + output);
            }
            Thread.sleep(50);
        }
        return haproxy;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
