package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.iocp4j.ops.MetricsEndpointTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsRequestsTest {
    private EchoFixture fixture;
    private InetSocketAddress ops;

    @BeforeEach
    void start() throws Exception {
        fixture = new EchoFixture(1);
        ops = fixture.ops.address();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void healthIsOkWhileServingAndUnavailableOnceShutdownHasBegun() throws Exception {
        assertEquals(200, fixture.get("/health").statusCode());
        fixture.server.shutdownAsync(Duration.ofSeconds(1)).join();
        HttpResponse<String> draining = fixture.get("/health");
        assertEquals(503, draining.statusCode());
        assertEquals(1, ExpositionParser.parse(fixture.get("/metrics").body()).value("iocp4j_shutting_down"));
    }

    @Test
    void statsAreJsonWithTheSameFiguresAsTheServer() throws Exception {
        fixture.connect();
        HttpResponse<String> stats = fixture.get("/stats");
        assertEquals(200, stats.statusCode());
        assertTrue(stats.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        String body = stats.body();
        assertTrue(body.contains("\"connectionsOpen\":1"), body);
        assertTrue(body.contains("\"packetsReceived\":" + fixture.server.stats().packetsIn()), body);
        assertTrue(body.contains("\"rejected\":{\"BANNED\":0,"), body);
        assertTrue(body.contains("\"ioThreads\":[{\"port\":0,\"connections\":1,"), body);
    }

    @Test
    void servesOnlyItsOwnPathsAndNothingOutsideThem() throws Exception {
        assertEquals(200, fixture.get("/").statusCode());
        assertEquals(200, fixture.get("/uplot/uPlot.iife.min.js").statusCode());
        for (String path : new String[] {"/index.html", "/metrics/", "/site/app.js", "/uplot/", "/uplot/LICENSE",
                "/favicon.ico", "/META-INF/MANIFEST.MF", "/io/iocp4j/ops/OpsServer.class"}) {
            assertEquals(404, fixture.get(path).statusCode(), path);
        }
        for (String path : new String[] {"/../../../../etc/passwd", "/uplot/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/..%2f..%2fetc%2fpasswd", "//etc/passwd", "/uplot/..%5c..%5cOpsServer.class", "/./app.js"}) {
            assertEquals(404, RawHttp.statusOf(ops, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                    path);
        }
    }

    @Test
    void answersWrongMethodsWith405() throws Exception {
        assertEquals(405, RawHttp.statusOf(ops, "DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assertEquals(405, RawHttp.statusOf(ops, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"));
        assertEquals(405, fixture.get("/api/disconnect?id=1").statusCode());
        assertEquals(200, RawHttp.statusOf(ops, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void actionsNeedTheToken() throws Exception {
        long id = connectedId();
        HttpResponse<String> none = fixture.post("/api/disconnect?id=" + id, null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(403, fixture.post("/api/disconnect?id=" + id, "not-the-token").statusCode());
        assertEquals(403, fixture.post("/api/ban?range=127.0.0.1", "test-toke").statusCode());
        assertEquals(403, fixture.post("/api/disconnect-banned", "test-token-").statusCode());
        assertTrue(fixture.server.connection(id).orElseThrow().isOpen());
        assertTrue(fixture.server.bans().isEmpty());
    }

    @Test
    void disconnectClosesTheConnectionAndItsHandlerHearsIt() throws Exception {
        long id = connectedId();
        HttpResponse<String> done = fixture.post("/api/disconnect?id=" + id, "test-token");
        assertEquals(200, done.statusCode(), done.body());
        waitUntil(() -> fixture.disconnected.get(id) == CloseReason.CLOSED_LOCALLY);
        assertEquals(404, fixture.post("/api/disconnect?id=" + id, "test-token").statusCode());
        assertEquals(400, fixture.post("/api/disconnect?id=x", "test-token").statusCode());
    }

    @Test
    void banAddsTheRangeAndClosesItsConnectionsWhenAsked() throws Exception {
        long first = connectedId();
        long second = connectedId();
        assertEquals(400, fixture.post("/api/ban?range=10.1.2.3/8", "test-token").statusCode());
        HttpResponse<String> banned = fixture.post("/api/ban?range=127.0.0.0/8", "test-token");
        assertEquals(200, banned.statusCode(), banned.body());
        assertTrue(fixture.server.bans().isBanned(java.net.InetAddress.getLoopbackAddress()));
        assertTrue(fixture.server.connection(first).orElseThrow().isOpen(), "a ban alone leaves open ones be");
        HttpResponse<String> closed = fixture.post("/api/disconnect-banned", "test-token");
        assertEquals("{\"disconnected\":2}", closed.body());
        waitUntil(() -> fixture.disconnected.get(first) == CloseReason.BANNED
                && fixture.disconnected.get(second) == CloseReason.BANNED);
    }

    @Test
    void refusesOversizedHeadersBodiesAndQueriesAndGoesOnServing() throws Exception {
        String hugeHeader = "X-Big: " + "a".repeat(64 * 1024) + "\r\n";
        int status = RawHttp.statusOf(ops, "GET /health HTTP/1.1\r\nHost: x\r\n" + hugeHeader + "\r\n");
        assertTrue(status == RawHttp.CLOSED || status == 431 || status == 400 || status == 413, "status " + status);
        StringBuilder manyHeaders = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 1000; i++) {
            manyHeaders.append("X-").append(i).append(": y\r\n");
        }
        status = RawHttp.statusOf(ops, manyHeaders.append("\r\n").toString());
        assertTrue(status == RawHttp.CLOSED || status == 431 || status == 400, "status " + status);
        assertEquals(413, RawHttp.statusOf(ops, "POST /api/disconnect-banned HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer test-token\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n"));
        assertEquals(400, fixture.get("/api/live?filter=" + "a".repeat(Exchanges.MAX_QUERY_LENGTH)).statusCode());
        assertEquals(200, fixture.get("/health").statusCode());
    }

    @Test
    void closesARequestThatNeverEnds() throws Exception {
        try (Socket slow = new Socket(ops.getAddress(), ops.getPort())) {
            slow.setSoTimeout(15_000);
            slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertEquals(RawHttp.CLOSED, RawHttp.readStatus(slow.getInputStream()));
            assertTrue(System.nanoTime() - start < 12_000_000_000L);
        }
        assertEquals(200, fixture.get("/health").statusCode());
    }

    @Test
    void aFloodOfRequestsOnManyConnectionsIsEachAnsweredOrClosedWithMemoryBounded() throws Exception {
        long heapBefore = usedHeapAfterGc();
        int connections = 300;
        Thread[] peers = new Thread[connections];
        int[] outcomes = new int[connections];
        for (int i = 0; i < connections; i++) {
            int index = i;
            peers[i] = Thread.ofVirtual().start(() -> {
                try {
                    outcomes[index] = RawHttp.statusOf(ops, "GET /api/live?size=100 HTTP/1.1\r\nHost: x\r\n"
                            + "X-Pad: " + "p".repeat(8000) + "\r\nConnection: close\r\n\r\n");
                } catch (Exception e) {
                    outcomes[index] = RawHttp.CLOSED;
                }
            });
        }
        for (Thread peer : peers) {
            peer.join(30_000);
            assertFalse(peer.isAlive(), "a request neither answered nor closed in 30 s");
        }
        int answered = 0;
        for (int outcome : outcomes) {
            assertTrue(outcome == 200 || outcome == RawHttp.CLOSED, "outcome " + outcome);
            answered += outcome == 200 ? 1 : 0;
        }
        assertTrue(answered > 0);
        assertEquals(200, fixture.get("/health").statusCode());
        long grown = usedHeapAfterGc() - heapBefore;
        assertTrue(grown < 32 << 20, "heap grew by " + grown + " bytes");
    }

    @Test
    void theLivePollCarriesOnePageOfRowsWhateverTheConnectionCount() throws Exception {
        int peers = 2000;
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < peers; i++) {
                open.add(new Socket("127.0.0.1", fixture.server.localAddress().getPort()));
            }
            waitUntil(() -> fixture.server.connectionCount() == peers);
            EchoFixture.echo(open.get(1234), 500);
            HttpResponse<String> live = fixture.get("/api/live?sort=bytesIn&dir=desc&size=50&page=0");
            assertEquals(200, live.statusCode());
            String body = live.body();
            assertTrue(body.contains("\"total\":" + peers + ",\"matched\":" + peers + ",\"page\":0,\"pages\":40,"),
                    body.substring(0, Math.min(400, body.length())));
            assertEquals(50, body.split("\"ageMillis\"", -1).length - 1, "rows in one page");
            int rows = body.indexOf("\"rows\":[{");
            String firstRow = body.substring(rows, body.indexOf('}', rows));
            assertTrue(firstRow.contains("\"bytesIn\":504,"), "the one peer that sent comes first: " + firstRow);
            assertTrue(body.length() < 64 * 1024, "a page, not the table: " + body.length() + " bytes");
            HttpResponse<String> last = fixture.get("/api/live?size=50&page=999");
            assertTrue(last.body().contains("\"page\":39,"), "a page past the end shows the last one");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private long connectedId() throws Exception {
        int before = fixture.server.connectionCount();
        fixture.connect();
        waitUntil(() -> fixture.server.connectionCount() == before + 1);
        return fixture.server.connections().getLast().id();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
