package io.iocp4j.testkit;

import io.iocp4j.Backoff;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.Server;
import io.iocp4j.ServerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection registry, the server's statistics, and the client's connect timeout and backoff. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ManagementContract extends ContractSupport {
    @Test
    void registryListsEachConnectionWithItsCountersAndDisconnectsOneById() throws Exception {
        Server server = startServer(LedgerHandler.echo(serverLedger));
        try (FrameSocket first = AdmissionContract.echoing(server, null, 1);
             FrameSocket second = AdmissionContract.echoing(server, null, 2)) {
            AdmissionContract.assertEchoes(second, "again");
            List<ConnectionInfo> infos = server.connections();
            assertEquals(2, infos.size());
            ConnectionInfo one = infos.get(0);
            ConnectionInfo two = infos.get(1);
            assertTrue(one.id() < two.id(), "in id order");
            assertEquals(first.socket().getLocalSocketAddress(), one.remoteAddress());
            assertEquals(second.socket().getLocalSocketAddress(), two.remoteAddress());
            assertEquals(1, one.packetsIn());
            assertEquals(2, two.packetsIn());
            awaitPackets(server, two.id(), 2);
            ConnectionInfo twoNow = info(server, two.id());
            assertEquals(2, twoNow.packetsOut());
            assertEquals(4 + "echo 2".length() + 4 + "again".length(), twoNow.bytesIn());
            assertEquals(twoNow.bytesIn(), twoNow.bytesOut(), "an echo sends what it got");
            assertEquals(0, twoNow.queuedBytes());
            assertFalse(one.age().isNegative());
            assertTrue(server.connection(one.id()).isPresent());

            assertTrue(server.disconnect(one.id()));
            assertTrue(first.readsEndOfStream(), "disconnect(id) closes that connection");
            AdmissionContract.assertEchoes(second, "the other one goes on");
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            assertTrue(server.connection(one.id()).isEmpty(), "gone from the registry once released");
            assertFalse(server.disconnect(one.id()), "no such connection any more");
            assertFalse(server.disconnect(123_456_789L));
            assertEquals(List.of(two.id()), server.connections().stream().map(ConnectionInfo::id).toList());

            try (FrameSocket third = AdmissionContract.echoing(server, null, 3)) {
                assertEquals(2, server.disconnectAll());
                assertTrue(second.readsEndOfStream());
                assertTrue(third.readsEndOfStream());
            }
            assertTrue(serverLedger.awaitDisconnects(3, 10, TimeUnit.SECONDS));
            try (FrameSocket after = AdmissionContract.echoing(server, null, 4)) {
                AdmissionContract.assertEchoes(after, "still accepting after disconnectAll()");
            }
        }
        assertTrue(serverLedger.awaitDisconnects(4, 10, TimeUnit.SECONDS));
        ServerStats stats = server.stats();
        assertEquals(0, stats.connectionsNow());
        assertEquals(2, stats.connectionsPeak());
        assertEquals(4, stats.connectionsTotal());
        assertEquals(4, stats.accepted());
        // echo 1; echo 2, again, the other one goes on; echo 3; echo 4, still accepting.
        assertEquals(7, stats.packetsIn());
        assertEquals(7, stats.packetsOut());
        assertEquals(stats.bytesIn(), stats.bytesOut());
    }

    @Test
    void aConnectThatGetsNoAnswerFailsAfterTheConnectTimeout() throws Exception {
        Client client = start(clientBuilder(LedgerHandler.echo(clientLedger)).connectTimeout(Duration.ofMillis(300)));
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) deaf.getLocalSocketAddress();
            // A listener that never accepts: once its queue is full, the kernel drops further SYNs unanswered.
            for (int i = 0; i < 16 && !fillsNoMore(address, filling); i++) {
                assertTrue(i < 15, "the accept queue never filled");
            }
            CompletionException failure = assertThrows(CompletionException.class,
                    () -> client.connect(address).join());
            assertInstanceOf(SocketTimeoutException.class, failure.getCause());
        } finally {
            for (Socket socket : filling) {
                socket.close();
            }
        }
        // The late connect fails or succeeds now that the listener is gone; either way it leaves nothing behind.
        awaitPoolEmpty(client.bufferPool());
    }

    @Test
    void connectWithBackoffRetriesUntilTheServerIsThere() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        Client client = startClient(LedgerHandler.echo(clientLedger));
        Backoff twice = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), 2, 0.5, new Random(1));
        CompletionException refused = assertThrows(CompletionException.class,
                () -> client.connect(address, twice, 3).join());
        assertInstanceOf(ConnectException.class, refused.getCause());
        assertEquals(2, twice.attempts(), "three attempts, two waits");

        Backoff patient = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2, 0.5, new Random(2));
        CompletableFuture<Connection> retrying = client.connect(address, patient, 200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (patient.attempts() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(retrying.isDone(), "still retrying with nothing listening");
        start(Server.builder().bind("127.0.0.1", port).transport(transport()).framing(FRAMING)
                .handler(LedgerHandler.echo(serverLedger)));
        Connection connection = retrying.get(30, TimeUnit.SECONDS);
        assertTrue(connection.isOpen());
        assertEquals(0, patient.attempts(), "reset after the success");
    }

    private static boolean fillsNoMore(InetSocketAddress address, List<Socket> filling) {
        Socket socket = new Socket();
        try {
            socket.connect(address, 200);
            filling.add(socket);
            return false;
        } catch (IOException timedOut) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Never connected.
            }
            return true;
        }
    }

    private static ConnectionInfo info(Server server, long id) {
        return server.connections().stream().filter(i -> i.id() == id).findFirst().orElseThrow();
    }

    /** The echo's write completion may trail the peer reading it by a moment. */
    private static void awaitPackets(Server server, long id, int out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (info(server, id).packetsOut() < out && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
