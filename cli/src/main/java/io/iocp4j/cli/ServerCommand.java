package io.iocp4j.cli;

import io.iocp4j.Balancing;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.file.FileStore;
import io.iocp4j.frame.Framing;
import io.iocp4j.job.Ordering;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.ops.OpsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code iocp4j server}: the demo server, packet port and raw echo port, until SIGINT or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Serve the iocp4j wire protocol, and raw echo, until interrupted.")
final class ServerCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final int MAX_IO_THREADS = 256;

    @Spec
    CommandSpec spec;

    @Mixin
    OpsOptions ops;

    @Mixin
    ChatOptions chat;

    @Mixin
    ProxyOptions proxy;

    @Mixin
    TlsServerOptions tls;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7000", paramLabel = "P",
            description = "Packet port; 0 picks a free one, shown in the ready line (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--raw-echo-port", defaultValue = "7001", paramLabel = "Q",
            description = "Raw echo port; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int rawEchoPort;

    @Option(names = "--max-frame", defaultValue = "1048576", paramLabel = "N",
            description = "Largest frame length accepted; a longer one gets ERROR 1 (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "T", converter = TransportOption.class,
            description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--io-threads", defaultValue = "1", paramLabel = "N",
            description = "Completion ports, one I/O thread each, 1 to " + MAX_IO_THREADS
                    + " (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N",
            description = "Job pool threads that run the handlers, 0 to " + WorkerPool.MAX_WORKERS + "; 0 handles "
                    + "packets on the I/O threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--ordering", defaultValue = "per-connection", paramLabel = "MODE",
            converter = OrderingOption.class,
            description = "How one connection's packets are handled on the workers: per-connection (one at a time), "
                    + "ordered-replies (in parallel, answered in order) or unordered (default: ${DEFAULT-VALUE}).")
    Ordering ordering;

    @Option(names = "--balancing", defaultValue = "least-load", paramLabel = "MODE",
            converter = BalancingOption.class,
            description = "Which I/O thread a new connection goes to: round-robin, least-connections or least-load "
                    + "(measured bytes and packets per second) (default: ${DEFAULT-VALUE}).")
    Balancing balancing;

    @Option(names = "--rebalance-interval", defaultValue = "1", paramLabel = "SECONDS",
            description = "How often the I/O threads' loads are compared and connections moved from the busiest to "
                    + "the least busy (at least 0.2; 0 never moves a connection) (default: ${DEFAULT-VALUE}).")
    double rebalanceInterval;

    @Option(names = "--max-connections", defaultValue = "0", paramLabel = "N",
            description = "Connections at once over both ports; one more gets ERROR BUSY (raw port: no byte) and is "
                    + "closed. 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-per-address", defaultValue = "0", paramLabel = "N",
            description = "Connections at once from one IP address; one more is closed without a byte. 0: no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxPerAddress;

    @Option(names = "--ban", paramLabel = "ADDR[/BITS]",
            description = "Refuse this IPv4 or IPv6 address or CIDR range: closed without a byte. Repeatable.")
    List<String> bans = new ArrayList<>();

    @Option(names = "--ban-file", paramLabel = "PATH",
            description = "More bans, one address or range per line, # comments; read again whenever it changes.")
    Path banFile;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS",
            description = "Close a connection with nothing received or sent for this long, after ERROR IDLE_TIMEOUT "
                    + "(raw port: nothing). 0: never (default: ${DEFAULT-VALUE}).")
    int idleTimeout;

    @Option(names = "--write-timeout", defaultValue = "0", paramLabel = "SECONDS",
            description = "Close a connection whose peer has taken none of the bytes queued for it for this long. "
                    + "0: never (default: ${DEFAULT-VALUE}).")
    int writeTimeout;

    @Mixin
    MemoryOptions memory;

    @Mixin
    PartialUploadOptions partials;

    @Option(names = "--chaos-disconnect", defaultValue = "0", paramLabel = "P",
            description = "Drop a connection at random, with probability P (0 to 1) per packet received, as a bad "
                    + "network would; for testing clients (default: ${DEFAULT-VALUE}).")
    double chaosDisconnect;

    @Option(names = "--reuse-port",
            description = "Share the ports with other servers started with --reuse-port (SO_REUSEPORT): the kernel "
                    + "spreads new connections over them, and one shutting down leaves its new connections to the "
                    + "others. Only processes of the same user can share a port.")
    boolean reusePort;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory that stores uploads and serves downloads; without it, FILE_OFFER gets "
                    + "FILE_REJECT 5 and FILE_GET FILE_REJECT 1.")
    Path dir;

    @Option(names = "--max-file-size", defaultValue = "1099511627776", paramLabel = "BYTES",
            description = "Largest upload stored; a larger FILE_OFFER gets FILE_REJECT 3 (default: ${DEFAULT-VALUE}, "
                    + "1 TiB).")
    long maxFileSize;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        ops.validate();
        ServerPolicies policies;
        try {
            policies = ServerPolicies.parse(bans, banFile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FileStore store = null;
        if (dir != null) {
            try {
                store = partials.apply(FileStore.builder(dir).maxFileSize(maxFileSize)).build();
            } catch (IOException e) {
                System.err.println("iocp4j: cannot serve files from " + dir + ": " + Failures.describe(e));
                return Main.FAILED;
            }
        }
        List<InetSocketAddress> asked = new ArrayList<>();
        asked.add(new InetSocketAddress(host, port));
        if (rawEchoPort != 0) {
            asked.add(new InetSocketAddress(host, rawEchoPort));
        }
        if (asked.getFirst().isUnresolved()) {
            System.err.println("iocp4j: cannot listen on " + host + ": unknown host");
            return Main.FAILED;
        }
        Server.Builder builder = Server.builder()
                .transport(transport)
                .ioThreads(ioThreads)
                .workers(workers)
                .ordering(ordering)
                .balancing(balancing)
                .rebalanceInterval(rebalanceEvery())
                .reusePort(reusePort)
                .bind(asked.getFirst(), tls.pipeline(Framing.lengthPrefixed(4, maxFrame), proxy.stages()),
                        packetHandler(store));
        if (rawEchoPort != 0) {
            builder.bind(asked.get(1), Framing.none(), new EchoHandler());
        }
        asked.addAll(chat.bind(builder, host, proxy.stages(), tls));
        policies.apply(builder, maxConnections, maxPerAddress, idleTimeout, writeTimeout);
        memory.apply(builder);
        Server server;
        try {
            server = builder.start();
        } catch (IOException e) {
            System.err.println("iocp4j: cannot listen on " + Addresses.format(Addresses.unbindable(asked)) + ": "
                    + Failures.describe(e));
            return Main.FAILED;
        } catch (IllegalStateException e) {
            // The transport cannot run here; the library's message says why.
            System.err.println("iocp4j: " + e.getMessage());
            return Main.FAILED;
        }
        OpsServer opsServer;
        try {
            opsServer = ops.start(server);
        } catch (IOException e) {
            System.err.println("iocp4j: cannot serve ops on " + ops.host + ":" + ops.port + ": "
                    + Failures.describe(e));
            server.shutdownNow();
            return Main.FAILED;
        }
        BanFileWatcher watcher = policies.watch(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (watcher != null) {
                watcher.close();
            }
            // The ops server stays up through the shutdown, so that /health says 503 while it drains.
            stop(server, opsServer);
        }, "iocp4j-shutdown"));
        System.out.println(readyLine(server));
        OpsOptions.print(opsServer, System.out);
        System.out.flush();
        // Serves until a signal (the shutdown hook ends the process), or until the server ends itself because an
        // I/O thread failed: then the process must not linger, accepting what nothing serves.
        ShutdownReport report = server.terminated().join();
        Throwable failure = server.failure().orElse(null);
        if (failure != null) {
            System.err.println("iocp4j: an I/O thread failed (" + Failures.describe(failure) + "); shut down in "
                    + report.took().toMillis() + " ms: " + report.connectionsClosed() + " connections closed");
            System.err.flush();
            Runtime.getRuntime().halt(Main.FAILED);
        }
        // Ended by the shutdown hook, which exits the process itself.
        Thread.sleep(Long.MAX_VALUE);
        return Main.OK;
    }

    /** The shutdown hook: a graceful shutdown, then exit code 0, as the protocol promises for SIGINT and SIGTERM. */
    private static void stop(Server server, OpsServer opsServer) {
        int exitCode = Main.FAILED;
        try {
            ShutdownReport report = server.shutdown(SHUTDOWN_GRACE);
            if (opsServer != null) {
                opsServer.close();
            }
            System.err.println("iocp4j: shut down in " + report.took().toMillis() + " ms: "
                    + report.connectionsClosed() + " connections closed, " + report.bytesFlushed()
                    + " bytes flushed, " + report.sendsDropped() + " queued sends dropped");
            if (report.closedAtDeadline() > 0) {
                System.err.println("iocp4j: " + report.closedAtDeadline() + " connections were still sending after "
                        + SHUTDOWN_GRACE.toSeconds() + " s and were closed");
            }
            if (report.leasesOutstanding() > 0) {
                System.err.println("iocp4j: " + report.leasesOutstanding() + " buffer leases never came back");
            }
            exitCode = Main.OK;
        } catch (RuntimeException e) {
            System.err.println("iocp4j: shutdown failed: " + Failures.describe(e));
        } finally {
            System.out.flush();
            System.err.flush();
            // Left alone, the JVM would exit with 128 + the signal's number.
            Runtime.getRuntime().halt(exitCode);
        }
    }

    private String readyLine(Server server) {
        List<InetSocketAddress> addresses = server.localAddresses();
        StringBuilder line = new StringBuilder("iocp4j server ready: packets on ")
                .append(Addresses.format(addresses.getFirst()));
        if (rawEchoPort != 0) {
            line.append(", raw echo on ").append(Addresses.format(addresses.get(1)));
        }
        line.append(chat.readyPart(addresses.getLast()));
        line.append(", transport ").append(server.transport()).append(tls.enabled() ? ", tls" : "")
                .append(", ").append(ioThreads).append(ioThreads == 1 ? " I/O thread" : " I/O threads");
        if (workers > 0) {
            line.append(", ").append(workers).append(workers == 1 ? " worker (" : " workers (")
                    .append(KebabEnumOption.spell(ordering)).append(')');
        }
        if (ioThreads > 1) {
            line.append(", balancing ").append(KebabEnumOption.spell(balancing));
            line.append(rebalanceInterval == 0 ? ", no rebalancing"
                    : ", rebalancing every " + BigDecimal.valueOf(rebalanceInterval).stripTrailingZeros().toPlainString()
                    + " s");
        }
        if (dir != null) {
            line.append(", files in ").append(dir.toAbsolutePath());
        }
        if (chaosDisconnect > 0) {
            line.append(", chaos disconnect ").append(chaosDisconnect).append(" per packet");
        }
        if (reusePort) {
            line.append(", ports shared");
        }
        return line.toString();
    }

    private Duration rebalanceEvery() {
        return Duration.ofNanos(Math.round(rebalanceInterval * 1e9));
    }

    private Handler packetHandler(FileStore store) {
        Handler packets = new PacketHandler(maxFrame, store);
        return tls.handler(chaosDisconnect > 0 ? new ChaosDisconnect(packets, chaosDisconnect) : packets);
    }

    private void validate() {
        if (!(chaosDisconnect >= 0 && chaosDisconnect <= 1)) {
            throw new ParameterException(spec.commandLine(), "--chaos-disconnect must be between 0 and 1, not "
                    + chaosDisconnect);
        }
        requireRange("--port", port, 0, 65535);
        requireRange("--raw-echo-port", rawEchoPort, 0, 65535);
        requireRange("--max-frame", maxFrame, 1, Integer.MAX_VALUE);
        requireRange("--io-threads", ioThreads, 1, MAX_IO_THREADS);
        requireRange("--workers", workers, 0, WorkerPool.MAX_WORKERS);
        if (!(rebalanceInterval == 0 || (rebalanceInterval >= 0.2 && rebalanceInterval <= 86_400))) {
            throw new ParameterException(spec.commandLine(), "--rebalance-interval must be 0 (off) or between 0.2 "
                    + "and 86400 seconds, not " + rebalanceInterval);
        }
        if (maxFileSize < 0) {
            throw new ParameterException(spec.commandLine(), "--max-file-size must be 0 or more, not " + maxFileSize);
        }
        requireRange("--max-connections", maxConnections, 0, Integer.MAX_VALUE);
        requireRange("--max-per-address", maxPerAddress, 0, Integer.MAX_VALUE);
        requireRange("--idle-timeout", idleTimeout, 0, ServerPolicies.MAX_TIMEOUT_SECONDS);
        requireRange("--write-timeout", writeTimeout, 0, ServerPolicies.MAX_TIMEOUT_SECONDS);
        memory.validate();
        partials.validate();
        chat.validate(port, rawEchoPort);
        proxy.validate();
        tls.validate(dir != null);
        if (port != 0 && port == rawEchoPort) {
            throw new ParameterException(spec.commandLine(),
                    "--port and --raw-echo-port are both " + port + "; give them different ports");
        }
    }

    private void requireRange(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    flag + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
