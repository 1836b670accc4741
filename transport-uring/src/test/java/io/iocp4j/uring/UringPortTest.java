package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class UringPortTest {
    /** One completion the port delivered to its sink. */
    private record Completion(long userData, int result, int flags) {
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
        UringPort port = (UringPort) new UringTransportProvider().openPort(new PortConfig("test-port-close",
                new BufferPool(), (userData, result, flags, buffer) -> {
                    if (buffer != null) {
                        buffer.release();
                    }
                    completions.add(new Completion(userData, result, flags));
                }));
        LinkedBlockingQueue<TransportSocket> accepted = new LinkedBlockingQueue<>();
        CountDownLatch listenerClosed = new CountDownLatch(1);
        Listener listener = port.listen(new InetSocketAddress("127.0.0.1", 0), 16, false, new AcceptHandler() {
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
        try {
            for (int round = 0; round < 10; round++) {
                long receive = UserData.pack(round, 0, UserData.OP_RECEIVE);
                long close = UserData.pack(round, 0, UserData.OP_CLOSE);
                try (Socket peer = new Socket()) {
                    peer.connect(listener.localAddress(), 5000);
                    peer.setSoTimeout(10_000);
                    TransportSocket socket = accepted.poll(10, TimeUnit.SECONDS);
                    assertNotNull(socket, "accepted");
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
        } finally {
            listener.close();
            assertTrue(listenerClosed.await(10, TimeUnit.SECONDS));
            port.shutdown();
            assertTrue(port.awaitTermination(Duration.ofSeconds(10)));
        }
    }
}
