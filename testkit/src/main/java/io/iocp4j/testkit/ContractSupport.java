package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import io.iocp4j.job.Ordering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the contract suites share: the transport a subclass names, servers and clients started for a test, and the
 * checks every test ends with: each connection ended exactly once, every buffer lease came back, and no thread of
 * a server or client (I/O, worker or shutdown) is left running.
 */
public abstract class ContractSupport {
    protected static final Framing FRAMING = Framing.lengthPrefixed(4, 1 << 20);

    private final List<Server> servers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    protected final LifetimeLedger serverLedger = new LifetimeLedger();
    protected final LifetimeLedger clientLedger = new LifetimeLedger();

    /** The transport under test. */
    protected abstract Transport transport();

    /** Worker threads of the servers and clients under test; 0 runs handlers on the I/O threads. */
    protected int workers() {
        return 0;
    }

    protected Ordering ordering() {
        return Ordering.PER_CONNECTION;
    }

    /** Empty when the transport can run on this machine, else why not. */
    protected Optional<String> unavailableReason() {
        return transport().unavailableReason();
    }

    @BeforeEach
    void requireTransport() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> transport() + " unavailable: " + reason.orElse(""));
    }

    @AfterEach
    void everyConnectionEndedAndEveryBufferCameBack() throws InterruptedException {
        for (Client client : clients) {
            ShutdownReport report = client.shutdown(Duration.ofSeconds(5));
            assertEquals(0, report.leasesOutstanding(),
                    () -> "client leases outstanding, taken at: " + client.bufferPool().outstandingLeaseSites());
        }
        for (Server server : servers) {
            ShutdownReport report = server.shutdown(Duration.ofSeconds(5));
            assertEquals(0, report.leasesOutstanding(),
                    () -> "server leases outstanding, taken at: " + server.bufferPool().outstandingLeaseSites());
            assertEquals(0, server.connectionCount(), "server connections after shutdown");
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS), "server connections all ended");
        assertTrue(clientLedger.awaitAllDisconnected(10, TimeUnit.SECONDS), "client connections all ended");
        serverLedger.assertEveryConnectionEndedOnce();
        clientLedger.assertEveryConnectionEndedOnce();
        List<Thread> leftovers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("iocp4j-server") || t.getName().startsWith("iocp4j-client"))
                .filter(Thread::isAlive)
                .toList();
        assertEquals(List.of(), leftovers, "threads left running after shutdown");
    }

    protected Server startServer(Handler handler) throws IOException {
        return startServer(handler, 2);
    }

    protected Server startServer(Handler handler, int ioThreads) throws IOException {
        return start(serverBuilder(handler, ioThreads));
    }

    /** A server on a free loopback port with the suite's transport, framing, workers and ordering. */
    protected Server.Builder serverBuilder(Handler handler, int ioThreads) {
        return Server.builder()
                .bind("127.0.0.1", 0)
                .transport(transport())
                .ioThreads(ioThreads)
                .framing(FRAMING)
                .workers(workers())
                .ordering(ordering())
                .handler(handler);
    }

    /** Starts the server; the test's end shuts it down and checks what it gave back. */
    protected Server start(Server.Builder builder) throws IOException {
        Server server = builder.start();
        servers.add(server);
        return server;
    }

    protected Client startClient(Handler handler) throws IOException {
        return start(clientBuilder(handler));
    }

    /**
     * A client with the suite's transport, framing and workers. Its handlers keep per-connection state, which needs
     * one call at a time, so its ordering is always {@link Ordering#PER_CONNECTION}.
     */
    protected Client.Builder clientBuilder(Handler handler) {
        return Client.builder()
                .transport(transport())
                .ioThreads(2)
                .framing(FRAMING)
                .workers(workers())
                .ordering(Ordering.PER_CONNECTION)
                .handler(handler);
    }

    /** Starts the client; the test's end shuts it down and checks what it gave back. */
    protected Client start(Client.Builder builder) throws IOException {
        Client client = builder.build();
        clients.add(client);
        return client;
    }

    /** Waits (up to 10 s) for every lease of the server's pool to come back while it runs. */
    protected static void awaitPoolEmpty(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.bufferPool().leasesOutstanding() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.bufferPool().leasesOutstanding(),
                () -> "leases outstanding while the server runs, taken at: " + server.bufferPool().outstandingLeaseSites());
    }

}
