package io.iocp4j.cli;

import io.iocp4j.Backoff;
import io.iocp4j.Client;
import io.iocp4j.Connection;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code client --reconnect}: connects, and connects again after the connection is lost, waiting a
 * {@link Backoff} delay after each failed attempt, until it succeeds or the program is interrupted. Says each
 * failure and each wait in one line.
 */
final class Reconnector {
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration LONGEST_DELAY = Duration.ofSeconds(30);
    private static final long CONNECT_WAIT_SECONDS = 10;

    private final Client client;
    private final TlsClientOptions tls;
    private final String host;
    private final int port;
    private final PrintStream log;
    private final Backoff backoff = Backoff.fullJitter(FIRST_DELAY, LONGEST_DELAY);

    Reconnector(Client client, TlsClientOptions tls, String host, int port, PrintStream log) {
        this.client = client;
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /** A new connection; tries until one is made. */
    Connection connect() throws InterruptedException {
        for (;;) {
            String failure;
            try {
                Connection connection = tls.connect(client, host, port, CONNECT_WAIT_SECONDS);
                backoff.reset();
                return connection;
            } catch (ExecutionException e) {
                failure = Failures.describe(e);
            } catch (TimeoutException e) {
                failure = "no answer within " + CONNECT_WAIT_SECONDS + " s";
            }
            long delay = backoff.next().toNanos();
            log.printf("iocp4j: cannot connect to %s:%d: %s; trying again in %d ms (attempt %d)%n", host, port,
                    failure, TimeUnit.NANOSECONDS.toMillis(delay), backoff.attempts());
            log.flush();
            TimeUnit.NANOSECONDS.sleep(delay);
        }
    }
}
