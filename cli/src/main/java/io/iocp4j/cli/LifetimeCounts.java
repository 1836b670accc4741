package io.iocp4j.cli;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts each connection's onConnect and onDisconnect and the handler's errors, and notes every break of the
 * lifetime rule: a second onConnect or onDisconnect, an onDisconnect without onConnect.
 */
final class LifetimeCounts extends HandlerDecorator {
    private static final int VIOLATIONS_KEPT = 20;

    /** Connections between their onConnect and onDisconnect. */
    private final Map<Long, Boolean> open = new ConcurrentHashMap<>();
    /** Connections that have had their onDisconnect; a second one is a violation. */
    private final Map<Long, Boolean> ended = new ConcurrentHashMap<>();
    private final LongAdder connects = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder violationCount = new LongAdder();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    LifetimeCounts(Handler inner) {
        super(inner);
    }

    @Override
    public void onConnect(Connection connection) {
        connects.increment();
        if (open.putIfAbsent(connection.id(), Boolean.TRUE) != null || ended.containsKey(connection.id())) {
            violation("onConnect twice for connection " + connection.id());
        }
        super.onConnect(connection);
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        disconnects.increment();
        if (open.remove(connection.id()) == null) {
            violation("onDisconnect without onConnect for connection " + connection.id());
        }
        if (ended.putIfAbsent(connection.id(), Boolean.TRUE) != null) {
            violation("onDisconnect twice for connection " + connection.id());
        }
        super.onDisconnect(connection, reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        errors.increment();
        super.onError(connection, error);
    }

    private void violation(String what) {
        violationCount.increment();
        if (violations.size() < VIOLATIONS_KEPT) {
            violations.add(what);
        }
    }

    long connects() {
        return connects.sum();
    }

    long disconnects() {
        return disconnects.sum();
    }

    long errors() {
        return errors.sum();
    }

    long violationCount() {
        return violationCount.sum();
    }

    /** The first violations, for the report. */
    Iterable<String> violations() {
        return violations;
    }

    /** Connections that had onConnect and are still waiting for their onDisconnect. */
    int stillOpen() {
        return open.size();
    }
}
