package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.CompletionSink;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port driven through the SPI alone: sockets, their completions and the ring's buffers, with no engine above. */
@Timeout(30)
class UringPortTest {
    /** One completion the port delivered to its sink. */
    private record Completion(long userData, int result, int flags) {
    }

    private UringPort port;
    private Listener listener;
    private final LinkedBlockingQueue<TransportSocket> accepted = new LinkedBlockingQueue<>();
    private final CountDownLatch listenerClosed = new CountDownLatch(1);

    @BeforeEach
    void requireUring() {
        Assumptions.assumeTrue(UringProbe.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + UringProbe.unavailableReason().orElse(""));
    }

    @AfterEach
    void closeListenerAndPort() throws InterruptedException {
        if (listener != null) {
            listener.close();
            assertTrue(listenerClosed.await(10, TimeUnit.SECONDS), "the listener reported closed");
        }
        if (port != null) {
            port.shutdown();
            assertTrue(port.awaitTermination(Duration.ofSeconds(10)));
        }
    }

    /** Opens the port and a listener on it whose accepted sockets queue up in {@link #accepted}. */
    private void open(UringSettings settings, CompletionSink sink) throws IOException {
        port = new UringPort(new PortConfig("test-port", new BufferPool(), sink), settings);
        listener = port.listen(new InetSocketAddress("127.0.0.1", 0), 16, false, new AcceptHandler() {
            @Override
            public void onAccept(TransportSocket socket) {
                accepted.add(socket);
            }

            @Override
            public void onAcceptFailed(IOException error, boolean willRetry) {
            }

            @Override
            public void onListenerClosed() {
                listenerClosed.countDown();
            }
        });
    }

    private Socket connectPeer() throws IOException {
        Socket peer = new Socket();
        peer.connect(listener.localAddress(), 5000);
        peer.setSoTimeout(10_000);
        return peer;
    }

    private TransportSocket nextAccepted() throws InterruptedException {
        TransportSocket socket = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(socket, "accepted");
        return socket;
    }

    @Test
    void runsATaskPostedFromAnotherThread() throws Exception {
        CompletionPort port = new UringTransportProvider().openPort(
                new PortConfig("test-port", new BufferPool(), (u, r, f, b) -> { }));
        CountDownLatch ran = new CountDownLatch(1);
        Thread.sleep(200);
        port.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        port.shutdown();
        assertTrue(port.awaitTermination(Duration.ofSeconds(5)));
    }

    @Test
    void aCloseThatFillsTheLastSubmissionSlotStillCancelsTheReceive() throws Exception {
        LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
        open(UringSettings.fromSystemProperties(), (userData, result, flags, buffer) -> {
            if (buffer != null) {
                buffer.release();
            }
            completions.add(new Completion(userData, result, flags));
        });
        for (int round = 0; round < 10; round++) {
            long receive = UserData.pack(round, 0, UserData.OP_RECEIVE);
            long close = UserData.pack(round, 0, UserData.OP_CLOSE);
            try (Socket peer = connectPeer()) {
                TransportSocket socket = nextAccepted();
                port.execute(() -> socket.receive(receive));
                peer.getOutputStream().write('x');
                Completion first = completions.poll(10, TimeUnit.SECONDS);
                assertNotNull(first, "the first byte arrived");
                assertEquals(new Completion(receive, 1, UserData.F_MORE), first);

                port.execute(() -> {
                    // The cancel takes the last free entry; the close that must follow it cannot fit.
                    SubmissionQueue submissions = port.submissions();
                    while (submissions.pending() < submissions.capacity() - 1) {
                        submissions.nop(UserData.pack(0xFFFF_FFFF, 0, 0));
                    }
                    socket.close(close);
                });
                Completion a = completions.poll(10, TimeUnit.SECONDS);
                Completion b = completions.poll(10, TimeUnit.SECONDS);
                assertNotNull(a, "round " + round + ": a first completion after the close");
                assertNotNull(b, "round " + round + ": the receive's end and the close, got only " + a);
                Completion end = a.userData() == receive ? a : b;
                assertEquals(new Completion(receive, -Errno.ECANCELED, 0), end, "the receive ended");
                assertEquals(new Completion(close, 0, 0), end == a ? b : a, "the close completed");
                InputStream in = peer.getInputStream();
                assertEquals(-1, in.read(), "the peer sees the socket closed");
            }
        }
        assertEquals(1L, RingTest.onPort(port, () -> port.registrations().inUse()), "only the listener");
    }

    @Test
    void receiveBuffersReleasedOnAnotherThreadGoBackToTheRing() throws Exception {
        // Two 64-byte buffers, each released by a worker thread: the ring runs dry at once and refills only
        // through the port's queue.
        ExecutorService worker = Executors.newSingleThreadExecutor();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch ended = new CountDownLatch(1);
        long receive = UserData.pack(1, 0, UserData.OP_RECEIVE);
        LinkedBlockingQueue<TransportSocket> receiving = new LinkedBlockingQueue<>();
        open(new UringSettings(64, 512, 2, 64, 0, 64, true), (userData, result, flags, buffer) -> {
            if (result > 0) {
                worker.execute(() -> {
                    byte[] bytes = new byte[result];
                    buffer.byteBuffer().get(0, bytes);
                    received.writeBytes(bytes);
                    buffer.release();
                });
                if ((flags & UserData.F_MORE) == 0) {
                    receiving.peek().receive(userData);
                }
            } else {
                ended.countDown();
            }
        });
        byte[] sent = new byte[256 << 10];
        new Random(7).nextBytes(sent);
        try (Socket peer = connectPeer()) {
            TransportSocket socket = nextAccepted();
            receiving.add(socket);
            port.execute(() -> socket.receive(receive));
            peer.getOutputStream().write(sent);
            peer.shutdownOutput();
            assertTrue(ended.await(20, TimeUnit.SECONDS), "end of stream reached");
            worker.shutdown();
            assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));
            assertArrayEquals(sent, received.toByteArray());
            assertEquals(0L, RingTest.onPort(port, () -> port.buffers().lent()), "buffers still lent");
            assertEquals(0, port.receiveBuffersHeld());
            CountDownLatch closed = new CountDownLatch(1);
            port.execute(() -> socket.close(UserData.pack(1, 0, UserData.OP_CLOSE)));
            port.execute(closed::countDown);
            assertTrue(closed.await(10, TimeUnit.SECONDS));
        } finally {
            worker.shutdownNow();
        }
    }
}
