package io.iocp4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo server on three I/O threads, new connections to the one with the fewest, rebalancing twice a second. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoServerBalancedTest {
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0", "--io-threads", "3",
                "--balancing", "Least-Connections", "--rebalance-interval", "0.5");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            assertEquals(0, server.terminate(), server.stderr());
        }
    }

    @Test
    void namesItsBalancingInTheReadyLine() {
        assertTrue(server.readyLine.endsWith(", 3 I/O threads, balancing least-connections, rebalancing every 0.5 s"),
                server.readyLine);
    }

    @Test
    void servesManyConnectionsSpreadOverItsThreads() throws Exception {
        List<WireClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                clients.add(new WireClient(server.packetPort));
            }
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).sendRaw(WireClient.frame(MessageType.TEXT,
                            ("client " + i + " round " + round).getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < clients.size(); i++) {
                    WireClient.Frame echo = clients.get(i).receive();
                    assertNotNull(echo, "echo to client " + i);
                    assertArrayEquals(("client " + i + " round " + round).getBytes(StandardCharsets.UTF_8),
                            echo.body());
                }
            }
        } finally {
            for (WireClient client : clients) {
                client.close();
            }
        }
    }
}
