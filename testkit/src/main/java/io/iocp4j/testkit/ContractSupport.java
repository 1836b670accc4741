package io.iocp4j.testkit;

import io.iocp4j.Client;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.job.Ordering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the contract suites share: the transport a subclass names, servers and clients started for a test, and the
 * checks every test ends with: each connection ended exactly once, every buffer lease came back, and no thread of
 * a server or client (I/O, worker or shutdown) is left running.
 */
public abstract class ContractSupport {
    protected static final Framing FRAMING = Framing.lengthPrefixed(4, 1 << 20);

    private final StartedEngines started = new StartedEngines();
    protected final LifetimeLedger serverLedger = new LifetimeLedger();
    protected final LifetimeLedger clientLedger = new LifetimeLedger();

    /** The transport under test. */
    protected abstract Transport transport();

    /** Worker threads of the servers and clients under test; 0 runs handlers on the I/O threads. */
    protected int workers() {
        return 0;
    }

    protected Ordering ordering() {
        return Ordering.PER_CONNECTION;
    }

    /** Empty when the transport can run on this machine, else why not. */
    protected Optional<String> unavailableReason() {
        return transport().unavailableReason();
    }

    @BeforeEach
    void requireTransport() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> transport() + " unavailable: " + reason.orElse(""));
    }

    @AfterEach
    void everyConnectionEndedAndEveryBufferCameBack() throws InterruptedException {
        started.shutDownAndAssertClean(serverLedger, clientLedger);
    }

    protected Server startServer(Handler handler) throws IOException {
        return startServer(handler, 2);
    }

    protected Server startServer(Handler handler, int ioThreads) throws IOException {
        return start(serverBuilder(handler, ioThreads));
    }

    /** A server on a free loopback port with the suite's transport, framing, workers and ordering. */
    protected Server.Builder serverBuilder(Handler handler, int ioThreads) {
        return serverBuilder(handler, ioThreads, 0);
    }

    /** A server on loopback port {@code port} (0: a free one) with the suite's transport, framing and workers. */
    protected Server.Builder serverBuilder(Handler handler, int ioThreads, int port) {
        return Server.builder()
                .bind("127.0.0.1", port)
                .transport(transport())
                .ioThreads(ioThreads)
                .framing(FRAMING)
                .workers(workers())
                .ordering(ordering())
                .handler(handler);
    }

    /** Starts the server; the test's end shuts it down and checks what it gave back. */
    protected Server start(Server.Builder builder) throws IOException {
        return started.add(builder.start());
    }

    protected Client startClient(Handler handler) throws IOException {
        return start(clientBuilder(handler));
    }

    /**
     * A client with the suite's transport, framing and workers. Its handlers keep per-connection state, which needs
     * one call at a time, so its ordering is always {@link Ordering#PER_CONNECTION}.
     */
    protected Client.Builder clientBuilder(Handler handler) {
        return Client.builder()
                .transport(transport())
                .ioThreads(2)
                .framing(FRAMING)
                .workers(workers())
                .ordering(Ordering.PER_CONNECTION)
                .handler(handler);
    }

    /** Starts the client; the test's end shuts it down and checks what it gave back. */
    protected Client start(Client.Builder builder) throws IOException {
        return started.add(builder.build());
    }

    /** Waits (up to 30 s) until the server counts {@code count} connections. */
    protected static void awaitConnectionCount(Server server, int count) throws InterruptedException {
        waitUntil(() -> server.connectionCount() == count, 30);
        assertEquals(count, server.connectionCount(), "server connections");
    }

    /**
     * Waits until {@code condition} holds or {@code seconds} have passed, whichever comes first; the caller then
     * asserts what it expects, with its own message.
     */
    protected static void waitUntil(BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Waits (up to 10 s) for every lease of the server's pool to come back while it runs. */
    protected static void awaitPoolEmpty(Server server) throws InterruptedException {
        awaitPoolEmpty(server.bufferPool());
    }

    /** Waits (up to 10 s) for every lease of the pool to come back while its server or client runs. */
    protected static void awaitPoolEmpty(BufferPool pool) throws InterruptedException {
        waitUntil(() -> pool.leasesOutstanding() == 0, 10);
        assertEquals(0, pool.leasesOutstanding(),
                () -> "leases outstanding while running, taken at: " + pool.outstandingLeaseSites());
    }
}
