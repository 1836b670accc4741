package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.RejectReason;
import io.iocp4j.Server;
import io.iocp4j.proxy.ProxyHeader;
import io.iocp4j.proxy.ProxyHeaderRefused;
import io.iocp4j.proxy.ProxyProtocol;
import io.iocp4j.proxy.TrustedProxies;
import io.iocp4j.stage.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PROXY protocol stage behind a (simulated) load balancer: versions 1 and 2, TLVs, LOCAL, headers cut into
 * single bytes; the client's own address seen by the handler and judged by the bans and the per-address limit;
 * every bad start (no header from a trusted source, a header from an untrusted one, a malformed or stalled header)
 * ending only its connection. Every test ends with every lease back and every connection ended once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProxyProtocolContract extends ContractSupport {
    /** Remote addresses as the handler saw them at onConnect, by connection id. */
    private final Map<Long, InetSocketAddress> seen = new ConcurrentHashMap<>();
    private final Map<Long, ProxyHeader> headers = new ConcurrentHashMap<>();

    private Server.Builder behindABalancer(String trusted, Duration timeout) {
        return serverBuilder(LedgerHandler.echo(serverLedger).whenConnected(connection -> {
            seen.put(connection.id(), connection.remoteAddress());
            ProxyHeader header = ProxyProtocol.header(connection);
            if (header != null) {
                headers.put(connection.id(), header);
            }
        }), 2).pipeline(Pipeline.of(FRAMING, ProxyProtocol.stage(TrustedProxies.parse(trusted), timeout)));
    }

    private Server start(String trusted) throws IOException {
        return start(behindABalancer(trusted, Duration.ofSeconds(5)));
    }

    @Test
    void aVersion1HeaderGivesTheHandlerTheClientsAddress() throws Exception {
        Server server = start("127.0.0.0/8");
        try (FrameSocket balancer = new FrameSocket(server.localAddress())) {
            balancer.sendRaw(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 5555 7000\r\n"));
            balancer.send(new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, balancer.receive());
        }
        assertEquals(new InetSocketAddress("192.0.2.7", 5555), onlySeen());
    }

    @Test
    void aVersion2HeaderCutIntoSingleBytesWithTlvsThenFramesInTheSameWrite() throws Exception {
        Server server = start("127.0.0.1");
        byte[] header = v2Proxy(new byte[] {(byte) 198, 51, 100, 9}, 40_000, Map.of(0x01, ascii("h2"),
                0x02, ascii("example.com")));
        try (FrameSocket balancer = new FrameSocket(server.localAddress())) {
            balancer.socket().setTcpNoDelay(true);
            for (int i = 0; i < header.length - 1; i++) {
                balancer.sendRaw(new byte[] {header[i]});
            }
            byte[] last = ByteBuffer.allocate(1 + 4 + 3).put(header[header.length - 1]).putInt(3)
                    .put(new byte[] {7, 8, 9}).array();
            balancer.sendRaw(last);
            assertArrayEquals(new byte[] {7, 8, 9}, balancer.receive());
        }
        assertEquals(new InetSocketAddress("198.51.100.9", 40_000), onlySeen());
        ProxyHeader kept = headers.values().iterator().next();
        assertEquals("h2", kept.alpn().orElseThrow());
        assertEquals("example.com", kept.authority().orElseThrow());
    }

    @Test
    void aLocalHeaderKeepsTheBalancersOwnAddress() throws Exception {
        Server server = start("127.0.0.1");
        try (FrameSocket balancer = new FrameSocket(server.localAddress())) {
            balancer.sendRaw(v2Local());
            balancer.send(new byte[] {5});
            assertArrayEquals(new byte[] {5}, balancer.receive());
            assertEquals(balancer.socket().getLocalSocketAddress(), onlySeen());
        }
    }

    @Test
    void aTrustedSourceWithoutAHeaderIsEnded() throws Exception {
        Server server = start("127.0.0.1");
        try (FrameSocket direct = new FrameSocket(server.localAddress())) {
            direct.send(new byte[] {1});
            assertTrue(direct.readsEndOfStream());
        }
        assertRefused(server, ProxyHeaderRefused.Cause.MISSING);
    }

    @Test
    void anUntrustedSourceIsServedAsItIsButNotAllowedAHeader() throws Exception {
        Server server = start("10.0.0.0/8");
        try (FrameSocket direct = new FrameSocket(server.localAddress());
             FrameSocket impostor = new FrameSocket(server.localAddress())) {
            direct.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, direct.receive());
            impostor.sendRaw(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 5555 7000\r\n"));
            assertTrue(impostor.readsEndOfStream());
            // Both were served as the peers they are (an untrusted peer's handler is not held back).
            assertTrue(seen.containsValue(direct.socket().getLocalSocketAddress()), seen.toString());
            assertTrue(seen.containsValue(impostor.socket().getLocalSocketAddress()), seen.toString());
        }
        waitUntil(() -> server.stats().closed(CloseReason.PROTOCOL_ERROR) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.PROTOCOL_ERROR));
    }

    @Test
    void aMalformedHeaderIsEndedWithTheRuleItBroke() throws Exception {
        Server server = start("127.0.0.1");
        try (FrameSocket balancer = new FrameSocket(server.localAddress())) {
            balancer.sendRaw(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 05555 7000\r\n"));
            assertTrue(balancer.readsEndOfStream());
        }
        ProxyHeaderRefused refused = assertRefused(server, ProxyHeaderRefused.Cause.MALFORMED);
        assertEquals(io.iocp4j.proxy.ProxyHeaderError.V1_BAD_PORT, refused.headerError());
    }

    @Test
    void aHeaderThatStallsEndsAtTheTimeout() throws Exception {
        Server server = start(behindABalancer("127.0.0.1", Duration.ofMillis(300)));
        try (FrameSocket balancer = new FrameSocket(server.localAddress())) {
            balancer.sendRaw(ascii("PROXY TCP4 192.0"));
            assertTrue(balancer.readsEndOfStream());
        }
        assertRefused(server, ProxyHeaderRefused.Cause.TIMEOUT);
    }

    @Test
    void bansAndThePerAddressLimitJudgeTheClientNotTheBalancer() throws Exception {
        Server server = start(behindABalancer("127.0.0.1", Duration.ofSeconds(5))
                .ban("192.0.2.66").maxConnectionsPerAddress(1));
        try (FrameSocket first = new FrameSocket(server.localAddress());
             FrameSocket second = new FrameSocket(server.localAddress());
             FrameSocket other = new FrameSocket(server.localAddress());
             FrameSocket banned = new FrameSocket(server.localAddress())) {
            // The balancer's own address is one for all four; the limit of one is per client.
            first.sendRaw(ascii("PROXY TCP4 192.0.2.1 127.0.0.1 1000 7000\r\n"));
            first.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, first.receive());
            second.sendRaw(ascii("PROXY TCP4 192.0.2.1 127.0.0.1 1001 7000\r\n"));
            assertTrue(second.readsEndOfStream(), "the same client twice is over its limit");
            other.sendRaw(ascii("PROXY TCP4 192.0.2.2 127.0.0.1 1002 7000\r\n"));
            other.send(new byte[] {2});
            assertArrayEquals(new byte[] {2}, other.receive());
            banned.sendRaw(ascii("PROXY TCP4 192.0.2.66 127.0.0.1 1003 7000\r\n"));
            assertTrue(banned.readsEndOfStream(), "a banned client gets no byte");
        }
        assertEquals(1, server.stats().rejected().get(RejectReason.BANNED));
        assertEquals(1, server.stats().rejected().get(RejectReason.PER_ADDRESS_LIMIT));
        assertTrue(serverLedger.awaitDisconnects(2, 10, TimeUnit.SECONDS));
        assertEquals(2, serverLedger.connectCount(), "the refused ones were never announced");
    }

    private ProxyHeaderRefused assertRefused(Server server, ProxyHeaderRefused.Cause cause)
            throws InterruptedException {
        waitUntil(() -> server.stats().closed(CloseReason.PROTOCOL_ERROR) == 1, 10);
        assertEquals(1, server.stats().closed(CloseReason.PROTOCOL_ERROR));
        assertEquals(0, serverLedger.connectCount(), "the handler never heard of it");
        ProxyHeaderRefused refused = (ProxyHeaderRefused) serverLedger.errors().stream()
                .filter(ProxyHeaderRefused.class::isInstance).findFirst().orElseThrow();
        assertEquals(cause, refused.refusal());
        return refused;
    }

    private InetSocketAddress onlySeen() throws InterruptedException {
        waitUntil(() -> seen.size() == 1, 10);
        assertEquals(1, seen.size(), seen.toString());
        return seen.values().iterator().next();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
            0x0A};

    /** A version 2 PROXY header for a TCP over IPv4 client, with TLVs. */
    private static byte[] v2Proxy(byte[] source, int sourcePort, Map<Integer, byte[]> tlvs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(source);
        body.writeBytes(new byte[] {127, 0, 0, 1});
        body.write(sourcePort >>> 8);
        body.write(sourcePort);
        body.write(7000 >>> 8);
        body.write(7000 & 0xFF);
        tlvs.forEach((type, value) -> {
            body.write(type);
            body.write(value.length >>> 8);
            body.write(value.length);
            body.writeBytes(value);
        });
        return v2(0x21, 0x11, body.toByteArray());
    }

    private static byte[] v2Local() {
        return v2(0x20, 0x00, new byte[0]);
    }

    private static byte[] v2(int versionCommand, int familyProtocol, byte[] body) {
        return ByteBuffer.allocate(16 + body.length).put(V2_SIGNATURE).put((byte) versionCommand)
                .put((byte) familyProtocol).putShort((short) body.length).put(body).array();
    }
}
