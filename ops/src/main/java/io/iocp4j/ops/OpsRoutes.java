package io.iocp4j.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.iocp4j.Server;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Every request of the ops server comes here and is matched by its exact path: the dashboard's files, /metrics,
 * /stats, /health, the dashboard's data and the actions. Any other path is 404, a known path with another method
 * 405.
 */
final class OpsRoutes implements HttpHandler {
    private static final Set<String> READS = Set.of("/metrics", "/stats", "/health", "/api/live", "/api/history");

    private final Server server;
    private final SiteResources site;
    private final RateHistory history;
    private final Actions actions;

    OpsRoutes(Server server, SiteResources site, RateHistory history, Actions actions) {
        this.server = server;
        this.site = site;
        this.history = history;
        this.actions = actions;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        } catch (IOException | RuntimeException e) {
            // The peer went away mid-answer, or a bug: the exchange closes and the server goes on.
            exchange.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (Actions.isAction(path)) {
            if ("POST".equals(method)) {
                actions.handle(path, exchange);
            } else {
                methodNotAllowed(exchange, "POST");
            }
        } else if (site.serves(path) || READS.contains(path)) {
            if (read) {
                serveRead(path, exchange);
            } else {
                methodNotAllowed(exchange, "GET, HEAD");
            }
        } else {
            Exchanges.send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
        }
    }

    private void serveRead(String path, HttpExchange exchange) throws IOException {
        switch (path) {
            case "/metrics" -> Exchanges.send(exchange, 200, PrometheusText.CONTENT_TYPE,
                    ServerMetrics.render(ServerSample.of(server)));
            case "/stats" -> Exchanges.sendJson(exchange, 200, StatsJson.write(new JsonWriter(),
                    ServerSample.of(server)));
            case "/health" -> health(exchange);
            case "/api/history" -> Exchanges.sendJson(exchange, 200, history.write(new JsonWriter(), 0));
            case "/api/live" -> live(exchange);
            default -> {
                SiteResources.Resource resource = site.get(path);
                exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                Exchanges.send(exchange, 200, resource.contentType(), resource.bytes());
            }
        }
    }

    /** 200 while serving; 503 once shutdown has begun, so that a load balancer sends new clients elsewhere. */
    private void health(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (server.isShuttingDown()) {
            Exchanges.send(exchange, 503, "text/plain; charset=utf-8", "shutting down\n");
        } else {
            Exchanges.send(exchange, 200, "text/plain; charset=utf-8", "serving\n");
        }
    }

    /** The dashboard's once-a-second poll: the summary, the chart points it lacks, one page of connections. */
    private void live(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = Exchanges.parameters(exchange);
        if (parameters == null) {
            Exchanges.sendError(exchange, 400, "bad query string");
            return;
        }
        long since;
        try {
            since = Long.parseLong(parameters.getOrDefault("since", "0"));
        } catch (NumberFormatException e) {
            since = 0;
        }
        JsonWriter json = new JsonWriter().beginObject().member("now", System.currentTimeMillis());
        json.name("stats");
        StatsJson.write(json, ServerSample.of(server));
        json.name("history");
        history.write(json, since);
        json.name("connections");
        ConnectionQuery.of(parameters).write(json, server);
        Exchanges.sendJson(exchange, 200, json.endObject());
    }

    private static void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        Exchanges.send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
    }
}
