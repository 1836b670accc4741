package io.iocp4j.testkit;

import io.iocp4j.Balancing;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.PortStats;
import io.iocp4j.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections placed on ports by load and moved between ports while open: a connection moved a thousand times
 * while streaming both ways loses, repeats and reorders nothing; a skewed load (every heavy connection on one port)
 * is spread by the rebalancer, one heavy connection per port, without moving the light ones.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class BalancingContract extends ContractSupport {
    private static final int MOVES = Integer.getInteger("iocp4j.balancing.moves", 1_000);
    private static final int FRAMES = 200_000;

    @Test
    void aConnectionMovedAThousandTimesWhileStreamingLosesNothing() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2)
                .rebalanceInterval(Duration.ZERO));
        NumberedTraffic traffic = new NumberedTraffic(2, FRAMES);
        Client client = start(clientBuilder(traffic.clientHandler(clientLedger)).rebalanceInterval(Duration.ZERO));
        traffic.connect(client, server.localAddress());
        CountDownLatch movesDone = new CountDownLatch(1);
        AtomicInteger clientMoves = new AtomicInteger();
        // Frames are in flight during every move: the second half trickles while moves go on, and the last frame
        // waits for them. (On NIO.2 a move waits for the peer's next bytes, since a read cannot be cancelled.)
        traffic.start(number -> {
            if (number >= FRAMES / 2 && movesDone.getCount() > 0) {
                LockSupport.parkNanos(200_000);
            }
            if (number == FRAMES - 1) {
                movesDone.await(120, TimeUnit.SECONDS);
            }
        });
        int serverMoves = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (serverMoves < MOVES && System.nanoTime() < deadline) {
                for (ConnectionInfo info : server.connections()) {
                    if (server.moveConnection(info.id(), 1 - info.ioThread()).get(10, TimeUnit.SECONDS)) {
                        serverMoves++;
                    }
                }
                int side = serverMoves % 2;
                if (client.moveConnection(traffic.link(side), serverMoves % 4 < 2 ? 0 : 1).get(10, TimeUnit.SECONDS)) {
                    clientMoves.incrementAndGet();
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            movesDone.countDown();
        }
        traffic.assertEveryFrameCameBackInOrder(120);
        assertTrue(serverMoves >= MOVES, "moves begun on the server: " + serverMoves);
        awaitMigrations(server.stats()::migrations, serverMoves);
        assertTrue(client.migrations() > MOVES / 10, "client moves " + client.migrations());
        assertEquals(2, server.connectionCount());
        // The peer can read the last echo before the server's port has taken the completion of its write.
        waitUntil(() -> server.connections().stream().allMatch(info -> info.queuedBytes() == 0), 10);
        for (ConnectionInfo info : server.connections()) {
            assertEquals(0, info.queuedBytes(), "nothing left queued on " + info);
        }
    }

    @Test
    void theRebalancerGivesEachPortOneHeavyConnectionAndLeavesTheLightOnesWhereTheyAre() throws Exception {
        int ports = 4;
        int light = 400;
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), ports)
                .balancing(Balancing.ROUND_ROBIN)
                .rebalanceInterval(Duration.ofMillis(200)));
        AtomicBoolean running = new AtomicBoolean(true);
        // A heavy connection answers each echo with the next frame: 16 always in flight. A light one pings.
        Client client = start(clientBuilder(new LedgerHandler(clientLedger, (connection, packet) -> {
            if (Boolean.TRUE.equals(connection.attachment()) && running.get()) {
                connection.send(packet);
            }
        })).ioThreads(1).rebalanceInterval(Duration.ZERO));
        List<Connection> heavy = new ArrayList<>();
        List<Connection> lights = new ArrayList<>();
        // One at a time, each accepted before the next: round-robin then puts every fourth on the same port.
        for (int i = 0; i < ports * ports + light; i++) {
            Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
            boolean isHeavy = i % ports == 0 && heavy.size() < ports;
            connection.attach(isHeavy);
            (isHeavy ? heavy : lights).add(connection);
            awaitConnectionCount(server, i + 1);
        }
        Map<Integer, ConnectionInfo> byPeerPort = serverSideByPeerPort(server);
        Set<Integer> heavyPorts = new HashSet<>();
        for (Connection connection : heavy) {
            heavyPorts.add(byPeerPort.get(connection.localAddress().getPort()).ioThread());
        }
        assertEquals(1, heavyPorts.size(), "round-robin put every heavy connection on one port");
        Map<Integer, Integer> lightPortsBefore = new HashMap<>();
        for (Connection connection : lights) {
            int peerPort = connection.localAddress().getPort();
            lightPortsBefore.put(peerPort, byPeerPort.get(peerPort).ioThread());
        }

        Thread pinger = Thread.ofPlatform().name("light-pinger").start(() -> pingEvery100Ms(lights, running));
        try {
            ByteBuffer frame = ByteBuffer.allocate(64);
            for (Connection connection : heavy) {
                for (int i = 0; i < 16; i++) {
                    connection.send(frame.clear());
                }
            }
            Set<Integer> spread = awaitHeavySpread(server, heavy, ports);
            assertEquals(ports, spread.size(), "ports carrying a heavy connection; per port: " + server.stats().ports());
            Map<Integer, ConnectionInfo> now = serverSideByPeerPort(server);
            for (Map.Entry<Integer, Integer> before : lightPortsBefore.entrySet()) {
                assertEquals(before.getValue(), now.get(before.getKey()).ioThread(),
                        "a light connection was moved: " + now.get(before.getKey()));
            }
            long migrations = server.stats().migrations();
            assertTrue(migrations >= ports - 1 && migrations <= 2L * ports, "migrations " + migrations);
            List<PortStats> perPort = server.stats().ports();
            assertEquals(ports, perPort.size());
            for (PortStats port : perPort) {
                assertTrue(port.load() > 0, "every port carries load now: " + perPort);
            }
        } finally {
            running.set(false);
            pinger.join();
        }
    }

    @Test
    void leastConnectionsSpreadsNewConnectionsEvenly() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 3)
                .balancing(Balancing.LEAST_CONNECTIONS));
        Client client = start(clientBuilder(LedgerHandler.echo(clientLedger)));
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            connections.add(client.connect(server.localAddress()).get(10, TimeUnit.SECONDS));
        }
        awaitConnectionCount(server, 90);
        List<PortStats> perPort = server.stats().ports();
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (PortStats port : perPort) {
            fewest = Math.min(fewest, port.connections());
            most = Math.max(most, port.connections());
        }
        // Each of the three listeners decides on its own thread, before the others' choices are counted: up to one
        // each of difference. A transport that pays for moving a socket keeps it where the kernel put it unless
        // that is clearly worse.
        int allowed = server.transport().equals("nio2") ? 15 : 3;
        assertTrue(most - fewest <= allowed, "connections per port " + perPort);
        for (Connection connection : connections) {
            connection.close();
        }
    }

    private static Map<Integer, ConnectionInfo> serverSideByPeerPort(Server server) {
        Map<Integer, ConnectionInfo> byPort = new HashMap<>();
        for (ConnectionInfo info : server.connections()) {
            byPort.put(info.remoteAddress().getPort(), info);
        }
        return byPort;
    }

    private static Set<Integer> awaitHeavySpread(Server server, List<Connection> heavy, int ports)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<Integer> spread = new HashSet<>();
        while (System.nanoTime() < deadline) {
            Map<Integer, ConnectionInfo> byPeerPort = serverSideByPeerPort(server);
            spread.clear();
            for (Connection connection : heavy) {
                spread.add(byPeerPort.get(connection.localAddress().getPort()).ioThread());
            }
            if (spread.size() == ports) {
                // Settled: another round must not move anything more.
                Thread.sleep(1_000);
                return spreadNow(server, heavy);
            }
            Thread.sleep(50);
        }
        return spread;
    }

    private static Set<Integer> spreadNow(Server server, List<Connection> heavy) {
        Map<Integer, ConnectionInfo> byPeerPort = serverSideByPeerPort(server);
        Set<Integer> spread = new HashSet<>();
        for (Connection connection : heavy) {
            spread.add(byPeerPort.get(connection.localAddress().getPort()).ioThread());
        }
        return spread;
    }

    private static void pingEvery100Ms(List<Connection> lights, AtomicBoolean running) {
        ByteBuffer ping = ByteBuffer.allocate(16);
        while (running.get()) {
            for (Connection connection : lights) {
                connection.send(ping.clear());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static void awaitMigrations(java.util.function.LongSupplier migrations, long atLeast)
            throws InterruptedException {
        waitUntil(() -> migrations.getAsLong() >= atLeast, 10);
        assertTrue(migrations.getAsLong() >= atLeast, "migrations " + migrations.getAsLong() + " < " + atLeast);
    }
}
