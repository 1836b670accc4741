package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import io.iocp4j.ops.OpsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code iocp4j soak}: the demo server with chaos disconnects and reconnecting ping clients, in one process, for a
 * while; then both shut down and the lifetime invariants are checked and printed. Exit 0 only when all hold.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Run the demo server with chaos disconnects against reconnecting clients, then check that "
                + "every connection ended once and every buffer came back.")
final class SoakCommand implements Callable<Integer> {
    /** Server and clients share this process: two descriptors per connection, under the limit of open files. */
    private static final int MAX_CONNECTIONS = 8000;
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long PROGRESS_EVERY_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    OpsOptions ops;

    @Option(names = "--connections", defaultValue = "100", paramLabel = "N",
            description = "Clients, each keeping one connection, 1 to " + MAX_CONNECTIONS
                    + " (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S",
            description = "How long to run, 1 to 86400 (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--chaos-disconnect", defaultValue = "0.001", paramLabel = "P",
            description = "Probability that the server drops a connection per packet received "
                    + "(default: ${DEFAULT-VALUE}).")
    double chaos;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "T", converter = TransportOption.class,
            description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--io-threads", defaultValue = "1", paramLabel = "N",
            description = "I/O threads of the server and of the clients (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        ops.validate();
        Framing framing = Framing.lengthPrefixed(4, ClientCommand.MAX_FRAME);
        ChaosDisconnect chaosOf = new ChaosDisconnect(new PacketHandler(ClientCommand.MAX_FRAME, null), chaos);
        LifetimeCounts serverSide = new LifetimeCounts(chaosOf);
        Server server;
        Client client;
        SoakPeers peers;
        LifetimeCounts clientSide;
        OpsServer opsServer;
        try {
            server = Server.builder().bind("127.0.0.1", 0).transport(transport).ioThreads(ioThreads)
                    .framing(framing).handler(serverSide).trackLeaks(true).start();
            peers = new SoakPeers(server.localAddress());
            clientSide = new LifetimeCounts(peers);
            client = Client.builder().transport(transport).ioThreads(ioThreads).framing(framing)
                    .handler(clientSide).trackLeaks(true).build();
            opsServer = ops.start(server);
        } catch (IllegalStateException e) {
            System.err.println("iocp4j: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("iocp4j: cannot start the soak: " + Failures.describe(e));
            return Main.FAILED;
        }
        System.out.printf("soak: %d connections for %d s, chaos disconnect %s per packet, transport %s%n",
                connections, seconds, chaos, server.transport());
        OpsOptions.print(opsServer, System.out);
        System.out.flush();
        peers.start(client, connections);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(TimeUnit.SECONDS.toMillis(PROGRESS_EVERY_SECONDS),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            System.err.printf("soak: %d s, %,d pongs, %,d chaos disconnects, %,d connections open%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), peers.pongs(), chaosOf.drops(),
                    server.connectionCount());
        }
        peers.stop();
        ShutdownReport clientReport = client.shutdown(GRACE);
        ShutdownReport serverReport = server.shutdown(GRACE);
        if (opsServer != null) {
            opsServer.close();
        }
        SoakVerdict verdict = new SoakVerdict(System.out);
        verdict.count("pongs", peers.pongs());
        verdict.count("chaos disconnects", chaosOf.drops());
        verdict.count("reconnects", peers.reconnects());
        verdict.count("connects refused or failed", peers.failedConnects());
        verdict.count("stale completions ignored", server.staleCompletions() + client.staleCompletions());
        verdict.lifetimes("server", serverSide);
        verdict.lifetimes("client", clientSide);
        verdict.mustBeZero("pongs with the wrong number", peers.wrongPongs());
        verdict.mustBeZero("server handler errors", server.handlerErrors() + serverSide.errors());
        verdict.mustBeZero("client handler errors", client.handlerErrors() + clientSide.errors());
        verdict.mustBeZero("server leases outstanding", serverReport.leasesOutstanding(),
                server.leaks().describe());
        verdict.mustBeZero("client leases outstanding", clientReport.leasesOutstanding(),
                client.leaks().describe());
        verdict.mustBeZero("server slots in use", server.connectionCount());
        verdict.mustBeZero("client slots in use", client.connectionCount());
        verdict.mustBeZero("I/O and worker threads left", threadsLeft().size(), threadsLeft().toString());
        return verdict.print() ? Main.OK : Main.FAILED;
    }

    private static List<String> threadsLeft() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("iocp4j-server") || name.startsWith("iocp4j-client"))
                .toList();
    }

    private void validate() {
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new ParameterException(spec.commandLine(),
                    "--connections must be between 1 and " + MAX_CONNECTIONS + ", not " + connections);
        }
        if (seconds < 1 || seconds > 86_400) {
            throw new ParameterException(spec.commandLine(), "--seconds must be between 1 and 86400, not " + seconds);
        }
        if (!(chaos >= 0 && chaos <= 1)) {
            throw new ParameterException(spec.commandLine(), "--chaos-disconnect must be between 0 and 1, not "
                    + chaos);
        }
        if (ioThreads < 1 || ioThreads > 64) {
            throw new ParameterException(spec.commandLine(), "--io-threads must be between 1 and 64, not "
                    + ioThreads);
        }
    }

    /** The soak's closing table: counts, and the invariants with whether each held. */
    private static final class SoakVerdict {
        private final PrintStream out;
        private final StringBuilder table = new StringBuilder();
        private boolean clean = true;

        SoakVerdict(PrintStream out) {
            this.out = out;
        }

        void count(String what, long value) {
            table.append(String.format("  %-34s %,d%n", what, value));
        }

        void lifetimes(String side, LifetimeCounts counts) {
            boolean held = counts.connects() == counts.disconnects() && counts.violationCount() == 0
                    && counts.stillOpen() == 0;
            check(String.format("%s connections opened/ended", side),
                    String.format("%,d / %,d, each exactly once", counts.connects(), counts.disconnects()), held);
            for (String violation : counts.violations()) {
                table.append("      ").append(violation).append(System.lineSeparator());
            }
        }

        void mustBeZero(String what, long value) {
            mustBeZero(what, value, "");
        }

        void mustBeZero(String what, long value, String detail) {
            check(what, Long.toString(value), value == 0);
            if (value != 0 && !detail.isEmpty()) {
                table.append("      ").append(detail).append(System.lineSeparator());
            }
        }

        private void check(String what, String value, boolean held) {
            clean &= held;
            table.append(String.format("  %-34s %-34s %s%n", what, value, held ? "ok" : "VIOLATED"));
        }

        /** Prints the table and the verdict; true when every invariant held. */
        boolean print() {
            out.print(table);
            out.println(clean ? "soak: every invariant held" : "soak: invariants VIOLATED");
            out.flush();
            return clean;
        }
    }
}
