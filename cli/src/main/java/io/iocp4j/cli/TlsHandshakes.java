package io.iocp4j.cli;

import io.iocp4j.AttributeKey;
import io.iocp4j.Connection;
import io.iocp4j.ForwardingHandler;
import io.iocp4j.Handler;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client's handler behind TLS: hears how each connection's handshake ends, for the command's thread to wait on
 * before it sends. A connect completes when the socket does; the handshake is what says the server is the one
 * asked for. A handshake that fails is told to the waiter alone, which reports it in the program's words.
 */
final class TlsHandshakes extends ForwardingHandler {
    /** How often a waiter looks whether the connection ended without a word (see {@link #await}). */
    private static final long LOOK_EVERY_MILLIS = 50;
    /** How long an ended connection's handshake error may still be on its way to the waiter. */
    private static final long LATE_ERROR_MILLIS = 1000;
    private static final AttributeKey<Outcome> OUTCOME = AttributeKey.of("TLS handshake outcome", Outcome.class);

    /** Completed on the I/O thread by the handshake's end, read by the command's thread. */
    private static final class Outcome {
        final CompletableFuture<Void> done = new CompletableFuture<>();
    }

    TlsHandshakes(Handler inner) {
        super(inner);
    }

    @Override
    public void onConnect(Connection connection) {
        outcome(connection).done.complete(null);
        super.onConnect(connection);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        if (!outcome(connection).done.completeExceptionally(error)) {
            super.onError(connection, error);
        }
    }

    /**
     * Waits until {@code connection}'s handshake is done, or until {@code deadlineNanos} (then closes it). A failed
     * handshake is an {@link ExecutionException} whose cause says why, as a failed connect is.
     */
    static void await(Connection connection, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            awaitOutcome(connection, deadlineNanos);
        } catch (ExecutionException failed) {
            throw new ExecutionException(new SSLException("the TLS handshake failed: "
                    + Failures.describe(failed.getCause()), failed.getCause()));
        }
    }

    private static void awaitOutcome(Connection connection, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> done = outcome(connection).done;
        for (;;) {
            try {
                done.get(LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillWaiting) {
                if (!connection.isOpen()) {
                    break;
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    connection.close();
                    throw stillWaiting;
                }
            }
        }
        // Closed: a handshake error may be on its way. A connection that ended before its handshake without an
        // alert (the server just closed it) is told to no handler at all.
        try {
            done.get(LATE_ERROR_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException silent) {
            throw new ExecutionException(new IOException("the server closed the connection"));
        }
    }

    private static Outcome outcome(Connection connection) {
        return connection.attributes().computeIfAbsent(OUTCOME, key -> new Outcome());
    }
}
