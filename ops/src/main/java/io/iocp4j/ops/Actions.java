package io.iocp4j.ops;

import com.sun.net.httpserver.HttpExchange;
import io.iocp4j.CidrRange;
import io.iocp4j.Server;

import java.io.IOException;
import java.util.Map;

/**
 * The POST actions: disconnect one connection, ban an address or range (and optionally close its open
 * connections), disconnect every banned peer. Each needs the token: none gives 401, a wrong one 403.
 */
final class Actions {
    static final String DISCONNECT = "/api/disconnect";
    static final String BAN = "/api/ban";
    static final String DISCONNECT_BANNED = "/api/disconnect-banned";

    private final Server server;
    private final Token token;

    Actions(Server server, Token token) {
        this.server = server;
        this.token = token;
    }

    static boolean isAction(String path) {
        return DISCONNECT.equals(path) || BAN.equals(path) || DISCONNECT_BANNED.equals(path);
    }

    void handle(String path, HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"iocp4j\"");
            Exchanges.sendError(exchange, 401, "this action needs the token: Authorization: Bearer <token>");
            return;
        }
        if (!token.matches(authorization.substring("Bearer ".length()).strip())) {
            Exchanges.sendError(exchange, 403, "wrong token");
            return;
        }
        if (!Exchanges.discardBody(exchange)) {
            Exchanges.sendError(exchange, 413, "request body too large");
            return;
        }
        Map<String, String> parameters = Exchanges.parameters(exchange);
        if (parameters == null) {
            Exchanges.sendError(exchange, 400, "bad query string");
            return;
        }
        switch (path) {
            case DISCONNECT -> disconnect(exchange, parameters.get("id"));
            case BAN -> ban(exchange, parameters.get("range"), "true".equals(parameters.get("disconnect")));
            case DISCONNECT_BANNED -> Exchanges.sendJson(exchange, 200, new JsonWriter().beginObject()
                    .member("disconnected", server.disconnectBanned()).endObject());
            default -> throw new IllegalArgumentException("path=" + path);
        }
    }

    private void disconnect(HttpExchange exchange, String id) throws IOException {
        long connectionId;
        try {
            connectionId = Long.parseLong(id == null ? "" : id);
        } catch (NumberFormatException e) {
            Exchanges.sendError(exchange, 400, "id must be a connection id");
            return;
        }
        if (!server.disconnect(connectionId)) {
            Exchanges.sendError(exchange, 404, "no open connection " + connectionId);
            return;
        }
        Exchanges.sendJson(exchange, 200, new JsonWriter().beginObject().member("disconnected", connectionId)
                .endObject());
    }

    private void ban(HttpExchange exchange, String range, boolean disconnect) throws IOException {
        CidrRange parsed;
        try {
            parsed = CidrRange.parse(range == null ? "" : range);
        } catch (IllegalArgumentException e) {
            Exchanges.sendError(exchange, 400, e.getMessage());
            return;
        }
        boolean added = server.bans().add(parsed);
        int closed = disconnect ? server.disconnectBanned() : 0;
        Exchanges.sendJson(exchange, 200, new JsonWriter().beginObject().member("banned", parsed.toString())
                .member("added", added).member("disconnected", closed).endObject());
    }
}
