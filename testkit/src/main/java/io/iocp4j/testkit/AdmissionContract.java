package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.RejectReason;
import io.iocp4j.Server;
import io.iocp4j.frame.Framing;
import io.iocp4j.ServerStats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who a server lets in: the connection limit, bans changed while running, the per-address limit and the accept
 * filter. Peers connect from several loopback addresses (127.0.0.2, 127.0.0.3, ...) to tell addresses apart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AdmissionContract extends ContractSupport {
    private static final byte[] BUSY = "BUSY".getBytes(StandardCharsets.US_ASCII);

    @Test
    void connectionOverTheLimitHearsBusyWhileTheFirstOnesAreStillServedAndOneClosingLetsTheNextIn()
            throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger)
                .whenOverLimit(connection -> connection.send(ByteBuffer.wrap(BUSY))), 2)
                .maxConnections(3));
        List<FrameSocket> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                admitted.add(echoing(server, null, i));
            }
            try (FrameSocket over = new FrameSocket(server.localAddress())) {
                assertArrayEquals(BUSY, over.receive());
                assertTrue(over.readsEndOfStream(), "closed after BUSY");
            }
            for (int i = 0; i < 3; i++) {
                assertEchoes(admitted.get(i), "still served " + i);
            }
            admitted.removeFirst().close();
            assertTrue(serverLedger.awaitDisconnects(2, 10, TimeUnit.SECONDS));
            admitted.add(echoing(server, null, 4));
            ServerStats stats = server.stats();
            assertEquals(4, stats.accepted());
            assertEquals(1, stats.rejected(RejectReason.CONNECTION_LIMIT));
            assertEquals(1, serverLedger.overLimitCount());
            assertEquals(3, stats.connectionsNow());
            assertEquals(4, stats.connectionsPeak());
        } finally {
            closeAll(admitted);
        }
        assertTrue(serverLedger.awaitDisconnects(5, 10, TimeUnit.SECONDS));
        assertEquals(1, serverLedger.reasonCount(CloseReason.OVER_LIMIT));
    }

    @Test
    void aBanAddedWhileRunningStopsNewConnectionsFromThatAddressOnly() throws Exception {
        Server server = startServer(LedgerHandler.echo(serverLedger));
        InetAddress two = loopback(2);
        InetAddress three = loopback(3);
        try (FrameSocket before = echoing(server, two, 1); FrameSocket other = echoing(server, three, 2)) {
            server.bans().add("127.0.0.2");
            try (FrameSocket refused = new FrameSocket(server.localAddress(), 0, two)) {
                assertTrue(refused.readsEndOfStream(), "a banned peer is closed without a byte");
            }
            try (FrameSocket fromThree = echoing(server, three, 3)) {
                assertEchoes(before, "open before the ban, undisturbed");
                assertEchoes(other, "another address, undisturbed");
            }
            assertEquals(1, server.disconnectBanned());
            assertTrue(before.readsEndOfStream(), "disconnectBanned() closes the banned peer's connection");
            assertEchoes(other, "another address, after disconnectBanned()");
            // A range covers its addresses; lifting the exact ban lets the address back in.
            server.bans().add("127.0.0.0/30");
            try (FrameSocket inRange = new FrameSocket(server.localAddress(), 0, three)) {
                assertTrue(inRange.readsEndOfStream(), "127.0.0.3 is in 127.0.0.0/30");
            }
            server.bans().remove("127.0.0.0/30");
            server.bans().remove("127.0.0.2");
            try (FrameSocket back = echoing(server, two, 4)) {
                assertEchoes(back, "ban lifted");
            }
        }
        assertEquals(2, server.stats().rejected(RejectReason.BANNED));
        assertTrue(serverLedger.awaitDisconnects(4, 10, TimeUnit.SECONDS));
        assertEquals(4, serverLedger.connectCount(), "refused peers never became connections");
        assertEquals(1, serverLedger.reasonCount(CloseReason.BANNED));
    }

    @Test
    void anIpv6RangeBansIpv6PeersAndNoIpv4One() throws Exception {
        InetAddress six = InetAddress.getByName("::1");
        Assumptions.assumeTrue(ipv6LoopbackWorks(six), "no IPv6 loopback here");
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .bind(new InetSocketAddress(six, 0), (Framing) null, null)
                .ban("::1/128").ban("2001:db8::/32"));
        InetSocketAddress v6 = server.localAddresses().get(1);
        try (FrameSocket refused = new FrameSocket(v6)) {
            assertTrue(refused.readsEndOfStream(), "::1 is banned");
        }
        try (FrameSocket v4 = echoing(server, null, 1)) {
            assertEchoes(v4, "IPv4 peer untouched by IPv6 bans");
        }
        assertEquals(1, server.stats().rejected(RejectReason.BANNED));
    }

    @Test
    void perAddressLimitCountsEachSourceAddressApart() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 2).maxConnectionsPerAddress(2));
        List<FrameSocket> open = new ArrayList<>();
        try {
            for (int host = 2; host <= 4; host++) {
                open.add(echoing(server, loopback(host), host * 10));
                open.add(echoing(server, loopback(host), host * 10 + 1));
            }
            for (int host = 2; host <= 4; host++) {
                try (FrameSocket third = new FrameSocket(server.localAddress(), 0, loopback(host))) {
                    assertTrue(third.readsEndOfStream(), "third from 127.0.0." + host + " refused");
                }
            }
            for (FrameSocket socket : open) {
                assertEchoes(socket, "the first two of each address still served");
            }
            open.removeFirst().close();
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            open.add(echoing(server, loopback(2), 99));
        } finally {
            closeAll(open);
        }
        assertEquals(3, server.stats().rejected(RejectReason.PER_ADDRESS_LIMIT));
        assertEquals(7, server.stats().accepted());
    }

    @Test
    void limitsCountEveryConnectionBackUnderAChurnOfConnectsAndCloses() throws Exception {
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger)
                .whenOverLimit(connection -> connection.send(ByteBuffer.wrap(BUSY))), 2)
                .maxConnections(5).maxConnectionsPerAddress(2));
        // Eight peers over three addresses, opening and closing as fast as they can: more than two per address and
        // more than five in all at times, so admissions, refusals and releases race on both I/O threads.
        int rounds = 600;
        PeerRounds.run(8, rounds, Duration.ofSeconds(60), (round, random) -> {
            try (FrameSocket socket = new FrameSocket(server.localAddress(), 0, loopback(2 + round % 3))) {
                byte[] payload = {(byte) round};
                socket.send(payload);
                byte[] answer = socket.receive();
                // Admitted (the echo), over the limit (BUSY), or refused for its address (no byte).
                if (answer != null && !Arrays.equals(payload, answer) && !Arrays.equals(BUSY, answer)) {
                    throw new AssertionError("round " + round + " got " + Arrays.toString(answer));
                }
            } catch (SocketException reset) {
                // Refused while its frame was on the way: the server's close resets it.
            }
        });
        awaitConnectionCount(server, 0);
        // Nothing leaked: each address takes exactly its 2 again, and 5 in all are admitted.
        List<FrameSocket> open = new ArrayList<>();
        try {
            for (int host = 2; host <= 3; host++) {
                open.add(echoing(server, loopback(host), host * 10));
                open.add(echoing(server, loopback(host), host * 10 + 1));
                try (FrameSocket third = new FrameSocket(server.localAddress(), 0, loopback(host))) {
                    assertTrue(third.readsEndOfStream(), "third from 127.0.0." + host);
                }
            }
            open.add(echoing(server, loopback(4), 40));
            try (FrameSocket sixth = new FrameSocket(server.localAddress(), 0, loopback(4))) {
                assertArrayEquals(BUSY, sixth.receive(), () -> "the 6th hears BUSY; " + server.stats());
            }
        } finally {
            closeAll(open);
        }
        ServerStats stats = server.stats();
        long rejected = stats.rejected().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(rounds + 5 + 2 + 1, stats.accepted() + rejected, () -> "every connection judged once: " + stats);
    }

    @Test
    void acceptFilterRefusesBeforeTheHandlerHearsAnything() throws Exception {
        InetAddress refusedHost = loopback(5);
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1)
                .acceptFilter(remote -> !remote.getAddress().equals(refusedHost)));
        try (FrameSocket refused = new FrameSocket(server.localAddress(), 0, refusedHost)) {
            assertTrue(refused.readsEndOfStream());
        }
        try (FrameSocket let = echoing(server, loopback(6), 1)) {
            assertEchoes(let, "another address passes the filter");
        }
        assertEquals(1, server.stats().rejected(RejectReason.FILTERED));
        assertEquals(1, serverLedger.connectCount());
    }

    /** A peer from {@code source} (null: any) that has had one echo, so the server has surely admitted it. */
    protected static FrameSocket echoing(Server server, InetAddress source, int tag) throws IOException {
        FrameSocket socket = new FrameSocket(server.localAddress(), 0, source);
        assertEchoes(socket, "echo " + tag);
        return socket;
    }

    protected static void assertEchoes(FrameSocket socket, String what) throws IOException {
        byte[] payload = what.getBytes(StandardCharsets.UTF_8);
        socket.send(payload);
        assertArrayEquals(payload, socket.receive(), what);
    }

    protected static InetAddress loopback(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) last});
    }

    private static void closeAll(List<FrameSocket> sockets) throws IOException {
        for (FrameSocket socket : sockets) {
            socket.close();
        }
    }

    private static boolean ipv6LoopbackWorks(InetAddress six) {
        try (ServerSocket probe = new ServerSocket(0, 1, six)) {
            return probe.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
