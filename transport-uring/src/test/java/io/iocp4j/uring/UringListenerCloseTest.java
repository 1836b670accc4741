package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A closing listener leaves its SO_REUSEPORT group when {@code close()} returns, not when its port thread gets to
 * it: the port thread is held fast here while connections arrive, and every one must reach the other listener.
 */
@Timeout(30)
class UringListenerCloseTest {
    private static final int CONNECTIONS = 40;
    private static final int BACKLOG = 128;

    /** A listener's accepted sockets and its closing, as its handler heard them. */
    private static final class Heard implements AcceptHandler {
        final LinkedBlockingQueue<TransportSocket> accepted = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onAccept(TransportSocket socket) {
            accepted.add(socket);
        }

        @Override
        public void onAcceptFailed(IOException error, boolean willRetry) {
        }

        @Override
        public void onListenerClosed() {
            closed.countDown();
        }
    }

    @BeforeEach
    void requireUring() {
        Assumptions.assumeTrue(UringProbe.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + UringProbe.unavailableReason().orElse(""));
    }

    @Test
    void connectionsMadeRightAfterCloseReturnsAllReachTheOtherListenerOfThePort() throws Exception {
        UringPort port = new UringPort(new PortConfig("test-port", new BufferPool(), (u, r, f, b) -> { }),
                UringSettings.fromSystemProperties());
        Heard leaving = new Heard();
        Heard staying = new Heard();
        Listener first = port.listen(new InetSocketAddress("127.0.0.1", 0), BACKLOG, true, leaving);
        Listener second = port.listen(first.localAddress(), BACKLOG, true, staying);
        List<Socket> peers = new ArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            port.execute(() -> {
                holding.countDown();
                awaitQuietly(release);
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the port thread is held");
            first.close();
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket peer = new Socket();
                peer.connect(second.localAddress(), 5000);
                peers.add(peer);
            }
        } finally {
            release.countDown();
        }
        assertTrue(leaving.closed.await(10, TimeUnit.SECONDS), "the first listener reported closed");
        for (int i = 0; i < CONNECTIONS; i++) {
            TransportSocket socket = staying.accepted.poll(10, TimeUnit.SECONDS);
            assertNotNull(socket, "connection " + i + " reached the listener that stays");
            port.execute(() -> socket.close(UserData.UNTRACKED));
        }
        assertEquals(0, leaving.accepted.size(), "the closed listener took none");

        for (Socket peer : peers) {
            peer.close();
        }
        second.close();
        assertTrue(staying.closed.await(10, TimeUnit.SECONDS));
        port.shutdown();
        assertTrue(port.awaitTermination(Duration.ofSeconds(10)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
