package io.iocp4j.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code iocp4j server --ops-port}: the dashboard's address and token printed after the ready line, and served. */
class DemoServerOpsTest {
    private static final Pattern DASHBOARD = Pattern.compile(
            "iocp4j ops: dashboard on (http://127\\.0\\.0\\.1:\\d+/), metrics on \\1metrics, health on \\1health");
    private static final Pattern TOKEN = Pattern.compile("iocp4j ops: token for actions ([A-Za-z0-9_-]{32})");

    /** A status and a body. */
    private record Answer(int status, String body) {
    }

    @Test
    void printsWhereTheDashboardIsAndItsTokenAndServesThem() throws Exception {
        try (ServerProcess server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", "nio2", "--ops-port", "0")) {
            Matcher dashboard = DASHBOARD.matcher(server.nextLine());
            assertTrue(dashboard.matches());
            Matcher token = TOKEN.matcher(server.nextLine());
            assertTrue(token.matches());
            URI base = URI.create(dashboard.group(1));
            try (WireClient client = new WireClient(server.packetPort)) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                Answer metrics;
                do {
                    metrics = request(base.resolve("/metrics"), "GET", null);
                    assertEquals(200, metrics.status());
                } while (!metrics.body().contains("\niocp4j_connections_open 1\n") && System.nanoTime() < deadline);
                assertTrue(metrics.body().contains("\niocp4j_connections_open 1\n"), metrics.body());
            }
            assertEquals(200, request(base.resolve("/health"), "GET", null).status());
            assertTrue(request(base, "GET", null).body().contains("id=\"connections-open\""));
            assertEquals(401, request(base.resolve("/api/disconnect-banned"), "POST", null).status());
            assertEquals(200, request(base.resolve("/api/disconnect-banned"), "POST", token.group(1)).status());
            assertEquals(0, server.terminate());
        }
    }

    private static Answer request(URI uri, String method, String token) throws IOException {
        HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
        http.setConnectTimeout(5000);
        http.setReadTimeout(10_000);
        http.setRequestMethod(method);
        if (token != null) {
            http.setRequestProperty("Authorization", "Bearer " + token);
        }
        try {
            int status = http.getResponseCode();
            InputStream body = status < 400 ? http.getInputStream() : http.getErrorStream();
            return new Answer(status, body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            http.disconnect();
        }
    }
}
