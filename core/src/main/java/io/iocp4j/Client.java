package io.iocp4j;

import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.FlowSettings;
import io.iocp4j.internal.engine.Engine;
import io.iocp4j.internal.memory.MemoryBudgets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The client side: completion ports that connections are opened from, with the same handler model as
 * {@link Server}. One client can hold many connections; closing it closes them all.
 *
 * <pre>{@code
 * try (Client client = Client.builder().handler(myHandler).build()) {
 *     Connection connection = client.connect("127.0.0.1", 7000).join();
 *     connection.send(ByteBuffer.wrap(bytes));
 * }
 * }</pre>
 */
public final class Client extends IoService {
    private final Endpoint endpoint;
    private final long connectTimeoutNanos;

    private Client(Engine engine, Endpoint endpoint, long connectTimeoutNanos) {
        super(engine);
        this.endpoint = endpoint;
        this.connectTimeoutNanos = connectTimeoutNanos;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects; the future fails with the connect error (refused, unreachable). */
    public CompletableFuture<Connection> connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * Connects; the future fails with the connect error (refused, unreachable), or with a
     * {@link java.net.SocketTimeoutException} after the builder's {@code connectTimeout}.
     */
    public CompletableFuture<Connection> connect(InetSocketAddress remote) {
        if (remote.isUnresolved()) {
            return CompletableFuture.failedFuture(new IOException("cannot resolve " + remote.getHostString()));
        }
        return engine.connect(remote, endpoint, connectTimeoutNanos);
    }

    /**
     * Connects, and after each failed attempt waits the next delay of {@code backoff} and tries again, up to
     * {@code maxAttempts} attempts in all; the future fails with the last attempt's error. The backoff is reset
     * on success, so the same one can serve the next reconnect (call this again from
     * {@link Handler#onDisconnect}). No thread sleeps through the waits.
     */
    public CompletableFuture<Connection> connect(InetSocketAddress remote, Backoff backoff, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts=" + maxAttempts + " (must be at least 1)");
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        attempt(remote, backoff, maxAttempts, 1, result);
        return result;
    }

    private void attempt(InetSocketAddress remote, Backoff backoff, int maxAttempts, int attempt,
                         CompletableFuture<Connection> result) {
        connect(remote).whenComplete((connection, error) -> {
            if (error == null) {
                backoff.reset();
                result.complete(connection);
            } else if (attempt >= maxAttempts || engine.isShutDown()) {
                result.completeExceptionally(error instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : error);
            } else {
                // The JDK's shared timer, not a port's: a wait must end, and the future with it, even if the client
                // shuts down meanwhile (the next attempt then fails at once).
                Executor later = CompletableFuture.delayedExecutor(backoff.next().toNanos(), TimeUnit.NANOSECONDS);
                later.execute(() -> attempt(remote, backoff, maxAttempts, attempt + 1, result));
            }
        });
    }

    public List<Connection> connections() {
        return engine.connections();
    }

    /**
     * As {@link Server#moveConnection}: moves {@code connection} to I/O thread {@code ioThread} while it stays open.
     */
    public CompletableFuture<Boolean> moveConnection(Connection connection, int ioThread) {
        return engine.move(connection.id(), ioThread);
    }

    public static final class Builder extends SharedOptions<Builder> {
        private Duration connectTimeout;

        private Builder() {
            super(FlowSettings.DEFAULTS.withPauseReading(false), MemoryBudgets.UNBOUNDED);
        }

        /** A connect not completed within {@code timeout} fails with a SocketTimeoutException (default: no limit). */
        public Builder connectTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout=" + timeout + " (must be positive)");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Starts the client's I/O threads. */
        public Client build() throws IOException {
            if (handler == null) {
                throw new IllegalStateException("no handler: call handler() first");
            }
            Engine engine = new Engine(Transports.select(transport), "iocp4j-client", ioThreads,
                    Engine.poolFor(pool, trackLeaks), Engine.MAX_CONNECTIONS, flow);
            engine.applyBalancing(balance);
            engine.applyBudgets(budgets);
            return new Client(engine, new Endpoint(framing, stages, handler),
                    connectTimeout == null ? 0 : connectTimeout.toNanos());
        }
    }
}
