package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The servers and clients one test started. At the test's end, {@link #shutDownAndAssertClean} stops them all and
 * asserts what every test must leave behind: no buffer lease outstanding, no connection in a server's table, each
 * connection ended exactly once, no I/O thread still running.
 */
public final class StartedEngines {
    private final List<Server> servers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    public Server add(Server server) {
        servers.add(server);
        return server;
    }

    public Client add(Client client) {
        clients.add(client);
        return client;
    }

    public void shutDownAndAssertClean(LifetimeLedger serverLedger, LifetimeLedger clientLedger)
            throws InterruptedException {
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
        // A file's hashing thread ends right after it hands the file's end to the port: give it that moment.
        ContractSupport.waitUntil(() -> leftovers().isEmpty(), 5);
        assertEquals(List.of(), leftovers(), "threads left running after shutdown");
    }

    private static List<Thread> leftovers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("iocp4j-server") || t.getName().startsWith("iocp4j-client")
                        || t.getName().startsWith("iocp4j-file-hash"))
                .filter(Thread::isAlive)
                .toList();
    }
}
