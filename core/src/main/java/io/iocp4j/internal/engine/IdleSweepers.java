package io.iocp4j.internal.engine;

import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;

import java.util.function.BooleanSupplier;

/**
 * The engine's timeouts: one {@link IdleSweeper} per port once a server sets any timeout, none otherwise. A
 * connection is swept by the sweeper of the port it is on.
 */
final class IdleSweepers {
    private final CompletionPort[] ports;
    private final BooleanSupplier stopped;
    /** One per port when timeouts are set, else null; set before the first listener opens. */
    private volatile IdleSweeper[] sweepers;

    IdleSweepers(CompletionPort[] ports, BooleanSupplier stopped) {
        this.ports = ports;
        this.stopped = stopped;
    }

    /** Each port starts sweeping for {@code timeouts}, if any is set. Once. */
    void start(Timeouts timeouts) {
        if (sweepers != null) {
            throw new IllegalStateException("policies already applied");
        }
        if (!timeouts.any()) {
            return;
        }
        IdleSweeper[] perPort = new IdleSweeper[ports.length];
        for (int i = 0; i < ports.length; i++) {
            perPort[i] = new IdleSweeper(stopped, ports[i], timeouts);
        }
        this.sweepers = perPort;
        for (IdleSweeper sweeper : perPort) {
            sweeper.start();
        }
    }

    /** The port thread of {@code port}: the connection is swept there from now on. */
    void add(RealConnection connection, int port) {
        IdleSweeper[] perPort = sweepers;
        if (perPort != null) {
            perPort[port].add(connection);
        }
    }

    /** The port thread of {@code port}: the connection left it, or was released. */
    void remove(RealConnection connection, int port) {
        IdleSweeper[] perPort = sweepers;
        if (perPort != null) {
            perPort[port].remove(connection);
        }
    }
}
