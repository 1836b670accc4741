package io.iocp4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two demo servers, sharing nothing, behind a real HAProxy sending PROXY v2 and checking each server's /health:
 * two hundred clients from their own loopback addresses echo through it; each server sees each client's own
 * address; a banned client is refused through the balancer; one server shuts down gracefully mid-run and its clients
 * reconnect through HAProxy to the other, losing nothing. Each transport runs it through a subclass.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class BehindHaproxyEndToEnd {
    private static final int CLIENTS = 200;
    private static final int MESSAGES = 40;
    private static final Pattern OPS = Pattern.compile("dashboard on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern PEER = Pattern.compile("\"peer\":\"([0-9.]+):\\d+\"");

    @TempDir
    Path temp;

    protected abstract String transport();

    @Test
    void twoServersBehindHaproxySeeEachClientRefuseTheBannedAndLoseNothingWhenOneLeaves() throws Exception {
        assumeTrue(Haproxy.executable() != null, "haproxy is not installed (bin/test installs it)");
        try (ServerProcess first = server(); ServerProcess second = server()) {
            int firstOps = opsPort(first);
            int secondOps = opsPort(second);
            try (Haproxy haproxy = Haproxy.start(temp, List.of(new Haproxy.Backend(first.packetPort, firstOps),
                    new Haproxy.Backend(second.packetPort, secondOps)))) {
                CyclicBarrier allConnected = new CyclicBarrier(CLIENTS + 1);
                CountDownLatch peersChecked = new CountDownLatch(1);
                CountDownLatch halfway = new CountDownLatch(CLIENTS);
                AtomicInteger reconnects = new AtomicInteger();
                ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
                try {
                    List<Future<Integer>> answered = new ArrayList<>();
                    for (int i = 0; i < CLIENTS; i++) {
                        InetAddress source = clientAddress(i);
                        int client = i;
                        answered.add(threads.submit(() -> echoThrough(haproxy.port, source, client, allConnected,
                                peersChecked, halfway, reconnects)));
                    }
                    allConnected.await(60, TimeUnit.SECONDS);
                    Set<String> peers = new HashSet<>(peers(firstOps));
                    peers.addAll(peers(secondOps));
                    assertEquals(clientAddresses(), peers, "each server sees each client's own address");
                    peersChecked.countDown();

                    assertTrue(halfway.await(60, TimeUnit.SECONDS), "every client halfway");
                    assertEquals(0, first.terminate(), "the first server ends cleanly on SIGTERM");
                    int total = 0;
                    for (Future<Integer> result : answered) {
                        total += result.get(90, TimeUnit.SECONDS);
                    }
                    assertEquals(CLIENTS * MESSAGES, total, "every message answered, none lost");
                    assertTrue(reconnects.get() > 0, "the first server's clients moved to the second");
                } finally {
                    threads.shutdownNow();
                }
                try (WireClient banned = new WireClient(haproxy.port, InetAddress.getByName("127.0.3.250"))) {
                    banned.send(MessageType.TEXT, "let me in".getBytes(StandardCharsets.UTF_8));
                    assertNull(receiveOrNull(banned), "a banned client gets no byte through the balancer");
                }
            }
        }
    }

    private ServerProcess server() throws Exception {
        return ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0", "--transport", transport(),
                "--proxy-protocol", "--trusted-proxy", "127.0.0.1", "--ops-port", "0", "--ban", "127.0.3.250");
    }

    private static int opsPort(ServerProcess server) throws Exception {
        String line = server.nextLine();
        Matcher matcher = OPS.matcher(line == null ? "" : line);
        assertTrue(matcher.find(), "ops line: " + line);
        server.nextLine();
        return Integer.parseInt(matcher.group(1));
    }

    /** One client: its messages in order, each sent again after a reconnect until answered; the count answered. */
    private static int echoThrough(int port, InetAddress source, int client, CyclicBarrier allConnected,
                                   CountDownLatch peersChecked, CountDownLatch halfway, AtomicInteger reconnects)
            throws Exception {
        WireClient connection = new WireClient(port, source);
        int answered = 0;
        try {
            while (answered < MESSAGES) {
                byte[] body = ("client " + client + " message " + answered).getBytes(StandardCharsets.UTF_8);
                WireClient.Frame echo = null;
                try {
                    connection.send(MessageType.TEXT, body);
                    echo = connection.receive();
                } catch (IOException gone) {
                    // The server left while the message was on its way: sent again below.
                }
                if (echo != null && echo.type() == MessageType.TEXT && Arrays.equals(body, echo.body())) {
                    answered++;
                    if (answered == 1) {
                        allConnected.await(60, TimeUnit.SECONDS);
                        peersChecked.await(60, TimeUnit.SECONDS);
                    } else if (answered == MESSAGES / 2) {
                        halfway.countDown();
                    }
                    Thread.sleep(10);
                    continue;
                }
                // ERROR 8 (shutting down) or the end of the stream: through the balancer again.
                connection.close();
                reconnects.incrementAndGet();
                connection = new WireClient(port, source);
            }
        } finally {
            connection.close();
        }
        return answered;
    }

    private static WireClient.Frame receiveOrNull(WireClient client) {
        try {
            return client.receive();
        } catch (IOException reset) {
            return null;
        }
    }

    private static Set<String> clientAddresses() throws IOException {
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < CLIENTS; i++) {
            addresses.add(clientAddress(i).getHostAddress());
        }
        return addresses;
    }

    /** Client {@code i}'s own loopback address: 127.0.0.2 and up. */
    private static InetAddress clientAddress(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
    }

    /** The peers a server's ops page lists, page by page. */
    private static List<String> peers(int opsPort) throws Exception {
        List<String> peers = new ArrayList<>();
        for (int page = 0; page < 10; page++) {
            String body;
            try (InputStream in = URI.create("http://127.0.0.1:" + opsPort + "/api/live?size=100&page=" + page)
                    .toURL().openStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher matcher = PEER.matcher(body);
            int before = peers.size();
            while (matcher.find()) {
                peers.add(matcher.group(1));
            }
            if (peers.size() - before < 100) {
                break;
            }
        }
        return peers;
    }
}
