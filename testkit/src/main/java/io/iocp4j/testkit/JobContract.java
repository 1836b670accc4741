package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.Transport;
import io.iocp4j.job.Ordering;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every transport must do with handlers on the job pool: the order each mode promises, parallel handling of one
 * connection with replies still in order, resizing while running, back-pressure against a peer that does not read,
 * and handler failures on workers. A transport's test is a subclass naming the transport, as for
 * {@link TransportContract}, which also runs again here, nested, with handlers on workers.
 *
 * <p>The property test sends {@value #DEFAULT_FRAMES} frames per connection on each combination; the system
 * property {@code iocp4j.jobs.frames} scales it (the full run by hand is {@code -Diocp4j.jobs.frames=100000}).
 * One combination always runs at the full count.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
public abstract class JobContract extends ContractSupport {
    static final int DEFAULT_FRAMES = 5000;
    private static final int FULL_FRAMES = 100_000;
    private static final int CONNECTIONS = 16;
    private static final int FRAMES = Integer.getInteger("iocp4j.jobs.frames", DEFAULT_FRAMES);

    /** The transport contract again, on this suite's transport, with handlers on workers. */
    abstract class TransportContractOnWorkers extends TransportContract {
        @Override
        protected Transport transport() {
            return JobContract.this.transport();
        }

        @Override
        protected Optional<String> unavailableReason() {
            return JobContract.this.unavailableReason();
        }
    }

    @Nested
    class TheTransportContractWithHandlersOnFourWorkers extends TransportContractOnWorkers {
        @Override
        protected int workers() {
            return 4;
        }
    }

    @Nested
    class TheTransportContractWithOrderedRepliesOnThreeWorkers extends TransportContractOnWorkers {
        @Override
        protected int workers() {
            return 3;
        }

        @Override
        protected Ordering ordering() {
            return Ordering.ORDERED_REPLIES;
        }
    }

    /** Without workers the ordering changes nothing, so it is run once there. */
    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (int ioThreads : new int[]{1, 2, 4}) {
            for (int workers : new int[]{0, 1, 4}) {
                all.add(Arguments.of(ioThreads, workers, Ordering.PER_CONNECTION));
                if (workers > 0) {
                    all.add(Arguments.of(ioThreads, workers, Ordering.ORDERED_REPLIES));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} I/O threads, {1} workers, {2}")
    @MethodSource("combinations")
    void everyConnectionGetsBackExactlyItsFramesInOrder(int ioThreads, int workers, Ordering ordering)
            throws Exception {
        runNumberedEchoes(ioThreads, workers, ordering, FRAMES);
    }

    @Test
    void everyConnectionGetsBackAHundredThousandFramesInOrderWithOrderedRepliesOnFourWorkers() throws Exception {
        runNumberedEchoes(2, 4, Ordering.ORDERED_REPLIES, Math.max(FRAMES, FULL_FRAMES));
    }

    private void runNumberedEchoes(int ioThreads, int workers, Ordering ordering, int frames) throws Exception {
        ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
        // Small watermarks on both sides: reading pauses and resumes often, and the memory the run holds stays small
        // however many frames it sends (with leak tracking on, each queued frame also holds its lease's site).
        Server server = start(serverBuilder(jitteryEcho(ordering, overlaps), ioThreads)
                .workers(workers).ordering(ordering).writeWatermarks(16 << 10, 64 << 10));
        NumberedTraffic traffic = new NumberedTraffic(CONNECTIONS, frames);
        traffic.connect(startTrafficClient(traffic), server.localAddress());
        traffic.start(number -> { });
        traffic.assertEveryFrameCameBackInOrder(Math.max(120, (long) frames * CONNECTIONS / 5_000));
        assertEquals(List.of(), List.copyOf(overlaps), "one connection's packets handled at once");
    }

    /**
     * Echoes after spinning or sleeping a random short time; with {@code PER_CONNECTION} it notes any moment when
     * one connection's packets were being handled twice at once.
     */
    private LedgerHandler jitteryEcho(Ordering ordering, ConcurrentLinkedQueue<String> overlaps) {
        return new LedgerHandler(serverLedger, (connection, packet) -> {
            AtomicInteger inHandler = (AtomicInteger) connection.attachment();
            if (inHandler.incrementAndGet() > 1 && ordering == Ordering.PER_CONNECTION) {
                overlaps.add(connection + " at frame " + packet.getInt(packet.position() + 4));
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(2000) == 0) {
                LockSupport.parkNanos(100_000);
            } else {
                spin(random.nextInt(4_000));
            }
            inHandler.decrementAndGet();
            connection.send(packet);
        }).whenConnected(connection -> connection.attach(new AtomicInteger()));
    }

    private Client startTrafficClient(NumberedTraffic traffic) throws Exception {
        // Low watermarks keep what each sender may queue small: the senders wait on isWritable().
        return start(clientBuilder(traffic.clientHandler(clientLedger)).workers(0).writeWatermarks(8 << 10, 32 << 10));
    }

    @Test
    void oneConnectionsPacketsAreHandledInParallelAndStillAnsweredInOrder() throws Exception {
        int frames = 400;
        CountDownLatch secondAnswered = new CountDownLatch(1);
        AtomicBoolean firstSawSecondAnswered = new AtomicBoolean();
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Handler handler = new LedgerHandler(serverLedger, (connection, packet) -> {
            int number = packet.getInt(packet.position());
            mostAtOnce.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
            try {
                if (number == 0) {
                    // Packet 0 is still being handled when packet 1 has been handled and answered.
                    firstSawSecondAnswered.set(secondAnswered.await(10, TimeUnit.SECONDS));
                } else if (ThreadLocalRandom.current().nextInt(4) == 0) {
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(500_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inHandler.decrementAndGet();
            connection.send(packet);
            if (number == 1) {
                secondAnswered.countDown();
            }
        });
        Server server = start(serverBuilder(handler, 1).workers(4).ordering(Ordering.ORDERED_REPLIES));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            for (int i = 0; i < frames; i++) {
                peer.send(ByteBuffer.allocate(4).putInt(0, i).array());
            }
            for (int i = 0; i < frames; i++) {
                byte[] reply = peer.receive();
                assertNotNull(reply, "reply " + i);
                assertEquals(i, ByteBuffer.wrap(reply).getInt(), "replies in packet order");
            }
        }
        assertTrue(firstSawSecondAnswered.get(), "packet 1 was handled while packet 0's handler still ran");
        assertTrue(mostAtOnce.get() >= 2, "handler calls of one connection overlapped: " + mostAtOnce.get());
    }

    @ParameterizedTest
    @EnumSource(value = Ordering.class, names = {"PER_CONNECTION", "ORDERED_REPLIES"})
    void resizingThePoolAHundredTimesDuringARunLosesAndReordersNothing(Ordering ordering) throws Exception {
        int resizes = 100;
        int frames = 20 * resizes;
        Random sizes = new Random(11);
        Server server = start(serverBuilder(jitteryEcho(ordering, new ConcurrentLinkedQueue<>()), 2)
                .workers(2).ordering(ordering));
        AtomicInteger lastSize = new AtomicInteger(2);
        AtomicInteger resized = new AtomicInteger();
        // All senders meet every 20 frames, and the last to arrive resizes while the echoes are still under way.
        CyclicBarrier resize = new CyclicBarrier(CONNECTIONS, () -> {
            lastSize.set(1 + sizes.nextInt(8));
            server.jobs().resize(lastSize.get());
            resized.incrementAndGet();
        });
        NumberedTraffic traffic = new NumberedTraffic(CONNECTIONS, frames);
        traffic.connect(startTrafficClient(traffic), server.localAddress());
        traffic.start(number -> {
            if (number > 0 && number % (frames / resizes) == 0 || number == frames - 1) {
                resize.await(60, TimeUnit.SECONDS);
            }
        });
        traffic.assertEveryFrameCameBackInOrder(120);
        assertEquals(resizes, resized.get());
        assertEquals(lastSize.get(), server.jobs().size());
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 2})
    void aPeerThatNeverReadsIsHeldToTheBoundsWhileOthersAreServed(int workers) throws Exception {
        int capacity = 32;
        int perConnection = 8;
        long low = 16 << 10;
        long high = 64 << 10;
        int frameLength = 1024;
        LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger).whenConnected(accepted::add), 1)
                .workers(workers).jobLimits(capacity, perConnection).writeWatermarks(low, high)
                .maxQueuedBytes(1L << 30));
        FrameSocket flood = new FrameSocket(server.localAddress());
        Connection flooding = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(flooding);
        AtomicInteger sent = new AtomicInteger();
        int floodFrames = 200_000;
        Thread sender = Thread.ofPlatform().start(() -> {
            byte[] frame = new byte[frameLength];
            try {
                while (sent.get() < floodFrames) {
                    flood.send(frame);
                    sent.incrementAndGet();
                }
            } catch (java.io.IOException closedByTheTest) {
                // The test resets the socket to end the flood.
            }
        });
        Sampler sampler = new Sampler(server, flooding);
        try {
            awaitStall(sent, floodFrames);
            try (FrameSocket other = new FrameSocket(server.localAddress())) {
                for (int i = 0; i < 200; i++) {
                    byte[] ping = ByteBuffer.allocate(8).putLong(0, i).array();
                    other.send(ping);
                    assertArrayEquals(ping, other.receive(), "echo " + i + " on the other connection");
                }
            }
        } finally {
            sampler.stop();
            flood.reset();
            sender.join(10_000);
        }
        assertTrue(sent.get() < floodFrames, "the flood stalled: the server stopped reading it");
        // Queued bytes count the memory a reply holds: its pooled buffer, and a little for the objects around it.
        long replyMemory = BufferPool.capacityFor(frameLength + 4) + 256;
        long replyBound = high + (perConnection + 1L) * replyMemory;
        assertTrue(sampler.mostJobs <= capacity, () -> "jobs held: " + sampler.mostJobs);
        assertTrue(sampler.mostQueuedBytes <= replyBound, () -> "bytes queued: " + sampler.mostQueuedBytes);
        // Jobs, replies, a batch of written buffers not yet given back, and a few receive and kept buffers.
        long leaseBound = capacity + replyBound / replyMemory + 1 + 64 + 16;
        assertTrue(sampler.mostLeases <= leaseBound, () -> "leases out: " + sampler.mostLeases + " > " + leaseBound);
        assertTrue(sampler.samples > 0);
    }

    /** Returns once the sender has made no progress for half a second (or sent everything). */
    private static void awaitStall(AtomicInteger sent, int all) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int before = -1;
        while (System.nanoTime() < deadline && sent.get() < all) {
            int now = sent.get();
            if (now == before) {
                return;
            }
            before = now;
            Thread.sleep(500);
        }
    }

    /** Samples, on a thread of its own, what a server holds while a test runs; keeps the largest values. */
    private static final class Sampler {
        private final Thread thread;
        private volatile boolean running = true;
        volatile long mostJobs;
        volatile long mostQueuedBytes;
        volatile long mostLeases;
        volatile long samples;

        Sampler(Server server, Connection watched) {
            thread = Thread.ofPlatform().name("sampler").start(() -> {
                while (running) {
                    mostJobs = Math.max(mostJobs, server.jobs().queuedJobs());
                    mostQueuedBytes = Math.max(mostQueuedBytes, watched.queuedBytes());
                    mostLeases = Math.max(mostLeases, server.bufferPool().leasesOutstanding());
                    samples++;
                    LockSupport.parkNanos(200_000);
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }

    @Test
    void aHandlerThatThrowsOnAWorkerClosesOnlyItsConnectionAndTheWorkerGoesOn() throws Exception {
        AtomicReference<Thread> failedOn = new AtomicReference<>();
        AtomicReference<Thread> servedOn = new AtomicReference<>();
        Server server = start(serverBuilder(new LedgerHandler(serverLedger, (connection, packet) -> {
            if (packet.get(packet.position()) == 'x') {
                failedOn.set(Thread.currentThread());
                throw new IllegalStateException("handler bug");
            }
            servedOn.set(Thread.currentThread());
            connection.send(packet);
        }), 1).workers(1));
        try (FrameSocket bad = new FrameSocket(server.localAddress());
             FrameSocket good = new FrameSocket(server.localAddress())) {
            bad.send("x".getBytes());
            assertTrue(bad.readsEndOfStream());
            good.send("ok".getBytes());
            assertArrayEquals("ok".getBytes(), good.receive());
        }
        assertTrue(serverLedger.awaitAllDisconnected(10, TimeUnit.SECONDS));
        assertEquals(CloseReason.HANDLER_FAILED, serverLedger.reason(1));
        assertEquals(1, serverLedger.errors().size());
        assertInstanceOf(IllegalStateException.class, serverLedger.errors().getFirst());
        assertSame(failedOn.get(), servedOn.get(), "the one worker that saw the failure served the next packet");
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 2})
    void aConnectionPastTheHighWatermarkIsNotWritableAndHearsOnWritableOnceItDrains(int workers) throws Exception {
        byte[] chunk = new byte[16 << 10];
        AtomicInteger chunksSent = new AtomicInteger();
        AtomicInteger writableAgain = new AtomicInteger();
        LedgerHandler handler = new LedgerHandler(serverLedger, (connection, packet) -> {
            // Sends until the queue passes the high watermark; 64 MiB at the most.
            while (connection.isWritable() && chunksSent.get() < 4096) {
                connection.send(ByteBuffer.wrap(chunk));
                chunksSent.incrementAndGet();
            }
        }).whenWritable(connection -> {
            if (writableAgain.incrementAndGet() == 1) {
                connection.send(ByteBuffer.wrap("done".getBytes()));
            }
        });
        Server server = start(serverBuilder(handler, 1).workers(workers).writeWatermarks(64 << 10, 256 << 10));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            peer.send("go".getBytes());
            for (int i = 0; ; i++) {
                byte[] frame = peer.receive();
                assertNotNull(frame, "frame " + i);
                if (frame.length == 4) {
                    assertArrayEquals("done".getBytes(), frame);
                    assertEquals(chunksSent.get(), i, "every chunk came before the word sent from onWritable");
                    break;
                }
            }
        }
        assertTrue(chunksSent.get() < 4096, "the handler saw the connection stop being writable");
        assertEquals(1, writableAgain.get());
    }

    @Test
    void aClientThatSendsFarPastItsWatermarkBeforeReadingIsStillAnsweredInFull() throws Exception {
        int frames = 512;
        byte[] chunk = new byte[64 << 10];
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger), 1).workers(2));
        CountDownLatch answered = new CountDownLatch(frames);
        Client client = start(clientBuilder(new LedgerHandler(clientLedger, (connection, packet) -> {
            answered.countDown();
        })));
        Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
        // 32 MiB at once: far more than both watermarks and every socket buffer between the two ends.
        for (int i = 0; i < frames; i++) {
            assertTrue(connection.send(ByteBuffer.wrap(chunk)));
        }
        assertTrue(answered.await(60, TimeUnit.SECONDS), answered.getCount() + " echoes missing");
    }

    @Test
    void aPeerThatDoesNotReadWhileTheHandlerKeepsSendingIsClosedAsASlowConsumer() throws Exception {
        byte[] chunk = new byte[64 << 10];
        AtomicInteger refusedAt = new AtomicInteger(-1);
        Server server = start(serverBuilder(new LedgerHandler(serverLedger, (connection, packet) -> {
            for (int i = 0; i < 1024; i++) {
                if (!connection.send(ByteBuffer.wrap(chunk))) {
                    refusedAt.set(i);
                    return;
                }
            }
        }), 1).workers(2).writeWatermarks(64 << 10, 256 << 10).maxQueuedBytes(1 << 20));
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            peer.send("go".getBytes());
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
        }
        assertEquals(CloseReason.SLOW_CONSUMER, serverLedger.reason(1));
        assertTrue(refusedAt.get() > 0, "a send was refused once the cap was passed");
    }

    @Test
    void shutdownLetsTheJobUnderWayAnswerBeforeTheLastWordAndLeavesNoWorker() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        LedgerHandler handler = new LedgerHandler(serverLedger, (connection, packet) -> {
            handling.countDown();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            connection.send(packet);
        }).whenShutdown(connection -> connection.send(ByteBuffer.wrap("bye".getBytes())));
        // Not registered with the suite: this test shuts the server down itself.
        Server server = serverBuilder(handler, 1).workers(2).start();
        try (FrameSocket peer = new FrameSocket(server.localAddress())) {
            peer.send("slow".getBytes());
            assertTrue(handling.await(10, TimeUnit.SECONDS));
            assertEquals(0, server.shutdown(Duration.ofSeconds(5)).leasesOutstanding());
            assertArrayEquals("slow".getBytes(), peer.receive());
            assertArrayEquals("bye".getBytes(), peer.receive());
            assertNull(peer.receive());
        }
        assertEquals(CloseReason.SHUTDOWN, serverLedger.reason(1));
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("iocp4j-server-worker-") && thread.isAlive()));
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
