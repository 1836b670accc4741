package io.iocp4j.testkit;

import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servers sharing one port with {@code reusePort}: the kernel spreads new connections over all of them, and one
 * that shuts down leaves the port to the others. Two servers in one JVM stand for two processes here; the demo
 * program's tests run real processes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SharedPortContract extends ContractSupport {
    /**
     * Connections to make before both servers must have had one. The kernel picks a listener by a hash of each
     * connection's addresses, so with four listeners the chance that this many all miss one server is nil.
     */
    private static final int MAX_ATTEMPTS = 400;
    private static final int AFTER_SHUTDOWN = 50;

    /** The second server's own ledger: connection ids are per server, so two servers cannot share one. */
    private final LifetimeLedger secondLedger = new LifetimeLedger();

    @Test
    void twoServersSharingOnePortBothTakeConnections() throws Exception {
        Server first = start(sharing(serverLedger, 0));
        Server second = start(sharing(secondLedger, first.localAddress().getPort()));
        assertEquals(first.localAddress(), second.localAddress());

        int made = echoUntilBothAccepted(first, second);
        assertEquals(made, first.stats().accepted() + second.stats().accepted(), "every connection taken once");
        shutDownAndCheck(second, secondLedger);
    }

    @Test
    void whenOneSharingServerShutsDownTheOtherTakesEveryNewConnection() throws Exception {
        Server first = start(sharing(serverLedger, 0));
        Server second = start(sharing(secondLedger, first.localAddress().getPort()));
        echoUntilBothAccepted(first, second);

        ShutdownReport report = first.shutdown(Duration.ofSeconds(2));
        assertEquals(0, report.leasesOutstanding());
        long acceptedBefore = second.stats().accepted();
        for (int i = 0; i < AFTER_SHUTDOWN; i++) {
            echoOnce(second.localAddress(), "after the first left " + i);
        }
        assertEquals(acceptedBefore + AFTER_SHUTDOWN, second.stats().accepted(), "the second took them all");
        shutDownAndCheck(second, secondLedger);
    }

    @Test
    void aServerWithoutReusePortCannotBindAPortOthersShare() throws Exception {
        Server shared = start(sharing(serverLedger, 0));
        int sharedPort = shared.localAddress().getPort();
        for (int ioThreads : new int[]{1, 2}) {
            assertThrows(IOException.class, () -> serverBuilder(LedgerHandler.echo(secondLedger), ioThreads,
                    sharedPort).start(), "a server of " + ioThreads + " I/O threads without reusePort");
        }
        echoOnce(shared.localAddress(), "the sharing server still serves");
    }

    /**
     * A server of one I/O thread has one listener, which sets SO_REUSEPORT only when asked to. (One of several I/O
     * threads sets it on each of its listeners to spread connections over them, so a sharing server of the same
     * user could join that one: docs/scale-out.md says so.)
     */
    @Test
    void aSharingServerCannotJoinALoneListenerThatDidNotAskToShare() throws Exception {
        Server alone = start(serverBuilder(LedgerHandler.echo(secondLedger), 1));
        int alonePort = alone.localAddress().getPort();
        assertThrows(IOException.class, () -> serverBuilder(LedgerHandler.echo(secondLedger), 1, alonePort)
                .reusePort(true).start(), "reusePort cannot join a single listener that did not ask to share");
        echoOnce(alone.localAddress(), "the lone server still serves");
        assertEquals(1, alone.stats().accepted());
        shutDownAndCheck(alone, secondLedger);
    }

    private Server.Builder sharing(LifetimeLedger ledger, int port) {
        return serverBuilder(LedgerHandler.echo(ledger), 2, port).reusePort(true);
    }

    /** Makes connections, each echoing once, until both servers have accepted one; returns how many it made. */
    private static int echoUntilBothAccepted(Server first, Server second) throws IOException {
        int made = 0;
        while (made < MAX_ATTEMPTS && (first.stats().accepted() == 0 || second.stats().accepted() == 0)) {
            echoOnce(first.localAddress(), "connection " + made);
            made++;
        }
        assertTrue(first.stats().accepted() > 0 && second.stats().accepted() > 0, "after " + made
                + " connections: first accepted " + first.stats().accepted() + ", second "
                + second.stats().accepted());
        return made;
    }

    private static void echoOnce(InetSocketAddress address, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        try (FrameSocket socket = new FrameSocket(address)) {
            socket.send(payload);
            assertArrayEquals(payload, socket.receive(), text);
        }
    }

    private static void shutDownAndCheck(Server server, LifetimeLedger ledger) throws InterruptedException {
        assertEquals(0, server.shutdown(Duration.ofSeconds(5)).leasesOutstanding());
        assertTrue(ledger.awaitAllDisconnected(10, TimeUnit.SECONDS), "every connection of the server ended");
        ledger.assertEveryConnectionEndedOnce();
    }
}
