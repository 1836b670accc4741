package io.iocp4j.ops;

import com.sun.net.httpserver.HttpServer;
import io.iocp4j.Server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link Server}'s operations over HTTP, on loopback unless told otherwise: the live dashboard at
 * {@code /}, Prometheus metrics at {@code /metrics}, the same as JSON at {@code /stats}, a health check at
 * {@code /health} (200 while serving, 503 once shutdown has begun) and token-protected POST actions.
 *
 * <pre>{@code
 * OpsServer ops = OpsServer.builder(server).bind("127.0.0.1", 7080).start();
 * System.out.println(ops.url() + " token " + ops.token());
 * }</pre>
 *
 * <p>Runs on the JDK's HTTP server. Requests are bounded by its limits, which this class sets (unless the system
 * property is already given) before the first HTTP server of the process starts: at most
 * {@value #MAX_CONNECTIONS} connections, {@value #MAX_HEADER_BYTES} bytes of headers, and
 * {@value #MAX_REQUEST_SECONDS} s to send a request or take an answer.
 */
public final class OpsServer implements AutoCloseable {
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 64;
    static final int MAX_REQUEST_SECONDS = 10;

    static {
        limitIfUnset("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
        limitIfUnset("sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES);
        limitIfUnset("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
        // Read by the JDK's server in seconds (whatever some of its documents say).
        limitIfUnset("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        limitIfUnset("sun.net.httpserver.maxRspTime", MAX_REQUEST_SECONDS);
        limitIfUnset("sun.net.httpserver.idleInterval", 30);
    }

    private final HttpServer http;
    private final ExecutorService handlers;
    private final ScheduledExecutorService sampler;
    private final Token token;

    private OpsServer(HttpServer http, ExecutorService handlers, ScheduledExecutorService sampler, Token token) {
        this.http = http;
        this.handlers = handlers;
        this.sampler = sampler;
        this.token = token;
    }

    public static Builder builder(Server server) {
        return new Builder(server);
    }

    /** The address served, with the real port when 0 was asked for. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The dashboard's address, such as {@code http://127.0.0.1:7080/}. */
    public URI url() {
        InetSocketAddress address = address();
        InetAddress host = address.getAddress();
        String name = host.isAnyLocalAddress() ? "127.0.0.1" : host.getHostAddress();
        return URI.create("http://" + (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + address.getPort()
                + "/");
    }

    /** The token the actions need, given or made at random. */
    public String token() {
        return token.text();
    }

    /** Stops serving; requests under way get up to a second to finish. */
    @Override
    public void close() {
        sampler.shutdownNow();
        http.stop(1);
        handlers.shutdownNow();
    }

    public static final class Builder {
        private final Server server;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private String token;

        private Builder(Server server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /** Where to listen (default: loopback, any free port). {@code 0.0.0.0} exposes it: mind the token. */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        public Builder bind(InetSocketAddress address) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("address=" + address + " could not be resolved");
            }
            this.address = address;
            return this;
        }

        /** The token actions must present; by default a random one ({@link OpsServer#token()}). */
        public Builder token(String token) {
            Token.of(token);
            this.token = token;
            return this;
        }

        /** Starts serving. */
        public OpsServer start() throws IOException {
            Token secret = Token.of(token);
            RateHistory history = new RateHistory();
            Actions actions = new Actions(server, secret);
            OpsRoutes routes = new OpsRoutes(server, new SiteResources(), history, actions);
            HttpServer http = HttpServer.create(address, 64);
            // A virtual thread per exchange: a slow client holds one until the request time limit, never a pool.
            ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("iocp4j-ops-", 0)
                    .factory());
            http.setExecutor(handlers);
            http.createContext("/", routes);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("iocp4j-ops-sampler").factory());
            history.add(server.stats(), System.nanoTime(), System.currentTimeMillis());
            sampler.scheduleAtFixedRate(() -> sample(server, history), 1, 1, TimeUnit.SECONDS);
            http.start();
            return new OpsServer(http, handlers, sampler, secret);
        }
    }

    private static void sample(Server server, RateHistory history) {
        try {
            history.add(server.stats(), System.nanoTime(), System.currentTimeMillis());
        } catch (RuntimeException e) {
            // A failed sample leaves a gap in the charts; a throw would end the sampling for good.
            System.getLogger(OpsServer.class.getName()).log(System.Logger.Level.WARNING, "sampling failed", e);
        }
    }

    private static void limitIfUnset(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
