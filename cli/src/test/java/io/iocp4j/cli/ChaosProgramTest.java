package io.iocp4j.cli;

import io.iocp4j.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chaos demo as users run it: a server that drops connections, clients that come back, and the soak. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChaosProgramTest {
    private static final Pattern CHAOS_DISCONNECTS = Pattern.compile("chaos disconnects\\s+([0-9,]+)");

    @ParameterizedTest
    @ValueSource(strings = {"nio2", "uring"})
    void soakEndsWithEveryInvariantHeld(String transport) throws Exception {
        requireAvailable(transport);
        ServerProcess.Outcome soak = ServerProcess.run(new byte[0], "soak", "--connections", "50", "--seconds", "3",
                "--chaos-disconnect", "0.05", "--transport", transport);
        assertEquals(0, soak.exitCode(), soak.stdout() + soak.stderr());
        assertTrue(soak.stdout().startsWith("soak: 50 connections for 3 s, chaos disconnect 0.05 per packet, "
                + "transport " + transport), soak.stdout());
        assertTrue(soak.stdout().endsWith("soak: every invariant held\n"), soak.stdout());
        assertTrue(soak.stdout().contains("server connections opened/ended"), soak.stdout());
        Matcher drops = CHAOS_DISCONNECTS.matcher(soak.stdout());
        assertTrue(drops.find(), soak.stdout());
        assertTrue(Long.parseLong(drops.group(1).replace(",", "")) > 0, "the chaos dropped nothing: " + soak.stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio2", "uring"})
    void aReconnectingClientFinishesItsPingsAgainstAServerThatDropsConnections(String transport) throws Exception {
        requireAvailable(transport);
        try (ServerProcess server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", transport, "--chaos-disconnect", "0.05")) {
            assertTrue(server.readyLine.endsWith(", chaos disconnect 0.05 per packet"), server.readyLine);
            ServerProcess.Outcome client = ServerProcess.run(new byte[0], "client", "--port",
                    String.valueOf(server.packetPort), "--transport", transport, "--ping", "300", "--reconnect");
            assertEquals(0, client.exitCode(), client.stderr());
            Matcher summary = Pattern.compile("300 pings: min \\d+ us, median \\d+ us, p99 \\d+ us, (\\d+) reconnects\n")
                    .matcher(client.stdout());
            assertTrue(summary.matches(), client.stdout());
            // At 5 % per packet, 300 pings without a drop would happen about twice in ten million runs.
            assertTrue(Integer.parseInt(summary.group(1)) > 0, client.stdout());
            assertTrue(client.stderr().contains("iocp4j: connection lost ("), client.stderr());
        }
    }

    @Test
    void refusesAChaosProbabilityOutsideZeroToOne() throws Exception {
        ServerProcess.Outcome server = ServerProcess.run(new byte[0], "server", "--port", "0", "--chaos-disconnect",
                "1.5");
        assertEquals(2, server.exitCode());
        assertTrue(server.stderr().startsWith("iocp4j: --chaos-disconnect must be between 0 and 1, not 1.5"),
                server.stderr());
    }

    @Test
    void refusesReconnectWithoutPing() throws Exception {
        ServerProcess.Outcome client = ServerProcess.run(new byte[0], "client", "--reconnect");
        assertEquals(2, client.exitCode());
        assertTrue(client.stderr().startsWith("iocp4j: --reconnect works with --ping"), client.stderr());
    }

    @Test
    void refusesASoakOfNoConnections() throws Exception {
        ServerProcess.Outcome soak = ServerProcess.run(new byte[0], "soak", "--connections", "0");
        assertEquals(2, soak.exitCode());
        assertTrue(soak.stderr().startsWith("iocp4j: --connections must be between 1 and 8000, not 0"),
                soak.stderr());
    }

    private static void requireAvailable(String transport) {
        Transport chosen = Transport.valueOf(transport.toUpperCase());
        Assumptions.assumeTrue(chosen.unavailableReason().isEmpty(), () -> transport + " unavailable here");
    }
}
