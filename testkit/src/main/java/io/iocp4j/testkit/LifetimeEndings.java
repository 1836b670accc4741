package io.iocp4j.testkit;

import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that end every way a connection can, at a random moment: a server handler that ends them on
 * request (from the handler, from another thread, twice, with a send after the close, or at random as a chaos
 * disconnect) and a peer that picks an ending per lifetime (reset while the server reads, reset while a large
 * write is queued, half-close with replies pending, an orderly close). The peer checks what it must see; the
 * test checks the server's invariants afterwards.
 */
public final class LifetimeEndings implements AutoCloseable {
    private static final byte[] LARGE = new byte[256 << 10];
    /** A chaos packet makes the server drop its connection with this probability. */
    private static final double CHAOS_DISCONNECT = 0.25;
    private static final int ENDINGS = 10;

    private final LinkedBlockingQueue<Connection> toCloseElsewhere = new LinkedBlockingQueue<>();
    private final LongAdder sendsAcceptedAfterClose = new LongAdder();
    private final Thread closer;
    private volatile boolean closing;

    public LifetimeEndings() {
        closer = Thread.ofPlatform().name("lifetime-closer").start(this::closeElsewhere);
    }

    /** The server side: echoes, and ends its connection as each request says. */
    public Handler serverHandler(LifetimeLedger ledger) {
        return new LedgerHandler(ledger, (connection, packet) -> {
            switch (packet.get(packet.position())) {
                case 'c' -> connection.close();
                case 'd' -> {
                    connection.closeAfterFlush();
                    connection.close();
                    connection.close();
                }
                case 'f' -> {
                    connection.send(packet);
                    connection.closeAfterFlush();
                }
                case 'l' -> {
                    for (int i = 0; i < 8; i++) {
                        connection.send(ByteBuffer.wrap(LARGE));
                    }
                }
                case 's' -> {
                    connection.close();
                    if (connection.send(packet)) {
                        sendsAcceptedAfterClose.increment();
                    }
                }
                case 't' -> {
                    connection.send(packet);
                    toCloseElsewhere.add(connection);
                }
                case 'k' -> {
                    if (ThreadLocalRandom.current().nextDouble() < CHAOS_DISCONNECT) {
                        connection.close();
                    } else {
                        connection.send(packet);
                    }
                }
                default -> connection.send(packet);
            }
        });
    }

    /** Sends the server took after its connection was closed: must stay 0. */
    public long sendsAcceptedAfterClose() {
        return sendsAcceptedAfterClose.sum();
    }

    /** One connection, ended one of the ways above, after a random number of echoes. */
    public void oneLifetime(InetSocketAddress address, Random random) throws IOException {
        int ending = random.nextInt(ENDINGS);
        try (FrameSocket peer = ending == 1 ? new FrameSocket(address, 4096) : new FrameSocket(address)) {
            for (int i = random.nextInt(4); i > 0; i--) {
                byte[] ping = {'e', (byte) i};
                peer.send(ping);
                assertArrayEquals(ping, peer.receive());
            }
            switch (ending) {
                case 0 -> peer.reset();
                case 1 -> {
                    peer.send(new byte[]{'l'});
                    peer.socket().getInputStream().readNBytes(1 + random.nextInt(4096));
                    peer.reset();
                }
                case 2 -> {
                    peer.send(new byte[]{'e', 1});
                    peer.send(new byte[]{'e', 2});
                    peer.shutdownOutput();
                    assertArrayEquals(new byte[]{'e', 1}, peer.receive());
                    assertArrayEquals(new byte[]{'e', 2}, peer.receive());
                    assertNull(peer.receive());
                }
                case 3 -> {
                    peer.send(new byte[]{'c'});
                    assertTrue(peer.readsEndOfStream());
                }
                case 4 -> {
                    peer.send(new byte[]{'d'});
                    assertTrue(peer.readsEndOfStream());
                }
                case 5 -> {
                    peer.send(new byte[]{'f', 9});
                    assertArrayEquals(new byte[]{'f', 9}, peer.receive());
                    assertNull(peer.receive());
                }
                case 6 -> {
                    // close() from another thread drops what is queued: the echo may or may not precede the end.
                    peer.send(new byte[]{'t'});
                    byte[] echo = peer.receive();
                    if (echo != null) {
                        assertArrayEquals(new byte[]{'t'}, echo);
                        assertTrue(peer.readsEndOfStream());
                    }
                }
                case 7 -> {
                    peer.send(new byte[]{'s'});
                    assertTrue(peer.readsEndOfStream());
                }
                case 8 -> untilChaosDisconnects(peer);
                default -> {
                    // An orderly close by the peer with nothing pending.
                }
            }
        } catch (SocketException resetByServer) {
            // A reset from either side is one of the endings under test.
        }
    }

    /** Chaos packets, each echoed until the server drops the connection; bounded however the dice fall. */
    private static void untilChaosDisconnects(FrameSocket peer) throws IOException {
        for (int i = 0; i < 200; i++) {
            byte[] chaos = {'k', (byte) i};
            peer.send(chaos);
            byte[] echo = peer.receive();
            if (echo == null) {
                return;
            }
            assertArrayEquals(chaos, echo);
        }
    }

    private void closeElsewhere() {
        try {
            while (!closing || !toCloseElsewhere.isEmpty()) {
                Connection connection = toCloseElsewhere.poll(50, TimeUnit.MILLISECONDS);
                if (connection != null) {
                    connection.close();
                    if (connection.send(ByteBuffer.wrap(new byte[]{1}))) {
                        sendsAcceptedAfterClose.increment();
                    }
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes what is left to close elsewhere and stops the closing thread. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        closer.join(TimeUnit.SECONDS.toMillis(20));
    }
}
