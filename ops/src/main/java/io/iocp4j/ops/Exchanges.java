package io.iocp4j.ops;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading a request's parameters within bounds, and answering with the headers every answer carries. */
final class Exchanges {
    /** Longer query strings are refused: nothing here needs more, and parsing them would cost. */
    static final int MAX_QUERY_LENGTH = 2048;
    /** Request bodies are not used by any action; a few are tolerated, more are refused. */
    static final int MAX_BODY_BYTES = 4096;

    private Exchanges() {
    }

    /** The query's parameters (the last of a repeated name wins), or null when the query is too long or bad. */
    static Map<String, String> parameters(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            return null;
        }
        try {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                parameters.put(name, value);
            }
        } catch (IllegalArgumentException malformedEscape) {
            return null;
        }
        return parameters;
    }

    /**
     * Reads and discards the request body, up to {@link #MAX_BODY_BYTES}; false when it is longer (announced or
     * sent), which the caller answers with 413.
     */
    static boolean discardBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        byte[] scratch = new byte[512];
        long read = 0;
        try (InputStream body = exchange.getRequestBody()) {
            int n;
            while ((n = body.read(scratch)) >= 0) {
                read += n;
                if (read > MAX_BODY_BYTES) {
                    return false;
                }
            }
        }
        return true;
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void sendJson(HttpExchange exchange, int status, JsonWriter json) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "application/json; charset=utf-8", json.toString());
    }

    /** A JSON answer {@code {"error": message}}. */
    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, new JsonWriter().beginObject().member("error", message).endObject());
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; frame-ancestors 'none'; form-action 'none'");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
