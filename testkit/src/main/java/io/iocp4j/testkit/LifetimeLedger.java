package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every onConnect, onDisconnect and handler error a handler hears, so a test can assert the lifetime
 * invariants: each connection connected once and disconnected exactly once, nothing thrown where it should not be.
 */
public final class LifetimeLedger {
    private final Map<Long, AtomicInteger> connects = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> disconnects = new ConcurrentHashMap<>();
    private final Map<Long, CloseReason> reasons = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger overLimit = new AtomicInteger();

    public void connected(Connection connection) {
        if (connects.computeIfAbsent(connection.id(), id -> new AtomicInteger()).incrementAndGet() != 1) {
            violations.add("onConnect twice for " + connection);
        }
        if (disconnects.containsKey(connection.id())) {
            violations.add("onConnect after onDisconnect for " + connection);
        }
    }

    /** A connection over the server's limit: it hears onOverLimit instead of onConnect, then onDisconnect. */
    public void overLimit(Connection connection) {
        overLimit.incrementAndGet();
        connected(connection);
    }

    public int overLimitCount() {
        return overLimit.get();
    }

    public void disconnected(Connection connection, CloseReason reason) {
        if (disconnects.computeIfAbsent(connection.id(), id -> new AtomicInteger()).incrementAndGet() != 1) {
            violations.add("onDisconnect twice for " + connection);
        }
        if (reason == null) {
            violations.add("onDisconnect without a reason for " + connection);
        } else {
            reasons.put(connection.id(), reason);
        }
        if (connection.isOpen()) {
            violations.add("onDisconnect while isOpen() for " + connection);
        }
    }

    public void error(Throwable error) {
        errors.add(error);
    }

    public int connectCount() {
        return connects.size();
    }

    public int disconnectCount() {
        return disconnects.size();
    }

    public CloseReason reason(long connectionId) {
        return reasons.get(connectionId);
    }

    /** Connections that ended for {@code reason}. */
    public int reasonCount(CloseReason reason) {
        return (int) reasons.values().stream().filter(reason::equals).count();
    }

    public List<Throwable> errors() {
        return new ArrayList<>(errors);
    }

    /** Waits until every connection seen has disconnected, or the timeout passes. */
    public boolean awaitAllDisconnected(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (disconnects.size() < connects.size() || !disconnects.keySet().containsAll(connects.keySet())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits until at least {@code count} connections have disconnected, or the timeout passes. */
    public boolean awaitDisconnects(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (disconnects.size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Every connection heard onConnect once and onDisconnect exactly once; no violation was recorded. */
    public void assertEveryConnectionEndedOnce() {
        List<String> problems = new ArrayList<>(violations);
        for (Long id : connects.keySet()) {
            AtomicInteger count = disconnects.get(id);
            if (count == null) {
                problems.add("no onDisconnect for connection " + id);
            }
        }
        for (Long id : disconnects.keySet()) {
            if (!connects.containsKey(id)) {
                problems.add("onDisconnect without onConnect for connection " + id);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " lifetime violations, first: " + problems.subList(0,
                    Math.min(10, problems.size())));
        }
    }
}
