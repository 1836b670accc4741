package io.iocp4j.cli;

import io.iocp4j.Backoff;
import io.iocp4j.Client;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's clients: each peer keeps one connection pinging as fast as its PONGs come back, checks that each
 * PONG carries the number of its PING, and when the connection is dropped comes back after a {@link Backoff}
 * delay, until {@link #stop()}.
 */
final class SoakPeers implements Handler {
    private static final Duration FIRST_DELAY = Duration.ofMillis(5);
    private static final Duration LONGEST_DELAY = Duration.ofSeconds(2);

    /** One peer: the connection it has now, and how long it waits before the next attempt. */
    private static final class Peer {
        final Backoff backoff = Backoff.fullJitter(FIRST_DELAY, LONGEST_DELAY);
    }

    /** The PING a connection waits for the PONG of; its attachment. */
    private static final class Pings {
        long awaited;
    }

    private final InetSocketAddress server;
    private final Map<Long, Peer> peerOf = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("soak-reconnect").daemon().factory());
    private final LongAdder pongs = new LongAdder();
    private final LongAdder wrongPongs = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder failedConnects = new LongAdder();
    private volatile Client client;
    private volatile boolean running = true;

    SoakPeers(InetSocketAddress server) {
        this.server = server;
    }

    void start(Client client, int peers) {
        this.client = client;
        for (int i = 0; i < peers; i++) {
            connect(new Peer());
        }
    }

    /** No more reconnects; connections open now stay open until the client shuts down. */
    void stop() {
        running = false;
        timers.shutdownNow();
    }

    private void connect(Peer peer) {
        client.connect(server).whenComplete((connection, failure) -> {
            if (failure != null) {
                failedConnects.increment();
                retry(peer);
                return;
            }
            peerOf.put(connection.id(), peer);
            // Dropped before this ran: onDisconnect found no peer to bring back, so it is done here, once.
            if (!connection.isOpen() && peerOf.remove(connection.id()) != null) {
                retry(peer);
            }
        });
    }

    private void retry(Peer peer) {
        if (!running) {
            return;
        }
        reconnects.increment();
        try {
            timers.schedule(() -> connect(peer), peer.backoff.next().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // stop() came in between: no more reconnects.
        }
    }

    @Override
    public void onConnect(Connection connection) {
        connection.attach(new Pings());
        ping(connection, 0);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        if ((packet.get(packet.position()) & 0xFF) != MessageType.PONG) {
            // ERROR SHUTTING_DOWN at the end, or anything else the server says: not a PONG to count.
            return;
        }
        Pings pings = (Pings) connection.attachment();
        if (packet.remaining() != 9 || packet.getLong(packet.position() + 1) != pings.awaited) {
            wrongPongs.increment();
        }
        pongs.increment();
        Peer peer = peerOf.get(connection.id());
        if (peer != null && pings.awaited == 0) {
            peer.backoff.reset();
        }
        ping(connection, ++pings.awaited);
    }

    private static void ping(Connection connection, long number) {
        connection.send(ByteBuffer.allocate(9).put(0, (byte) MessageType.PING).putLong(1, number));
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        Peer peer = peerOf.remove(connection.id());
        if (peer != null) {
            retry(peer);
        }
    }

    long pongs() {
        return pongs.sum();
    }

    long wrongPongs() {
        return wrongPongs.sum();
    }

    long reconnects() {
        return reconnects.sum();
    }

    long failedConnects() {
        return failedConnects.sum();
    }
}
