package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.ScheduledTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring on its own, driven by hand on the test thread (its only issuer), and the port's loop around it: what
 * goes in comes out exactly once, whatever the batch, a full submission queue or an overflowing completion queue.
 */
@Timeout(60)
class RingTest {
    private Arena arena;
    private final List<Ring> rings = new ArrayList<>();
    private final List<CompletionPort> ports = new ArrayList<>();

    @BeforeEach
    void requireUring() {
        Assumptions.assumeTrue(UringProbe.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + UringProbe.unavailableReason().orElse(""));
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        for (Ring ring : rings) {
            ring.close();
        }
        for (CompletionPort port : ports) {
            port.shutdown();
            assertTrue(port.awaitTermination(Duration.ofSeconds(10)), port + " stopped");
        }
        if (arena != null) {
            arena.close();
        }
    }

    private Ring open(int entries, int cqEntries) throws IOException {
        Ring ring = Ring.open(entries, cqEntries, UringProbe.SETUP_FLAGS, arena);
        rings.add(ring);
        return ring;
    }

    private CompletionPort openPort(String name) throws IOException {
        CompletionPort port = new UringTransportProvider().openPort(
                new PortConfig(name, new BufferPool(), (userData, result, flags, buffer) -> { }));
        ports.add(port);
        return port;
    }

    /** Counts each user data it sees; user data are indexes into the count array. */
    private static final class Arrivals implements CompletionQueue.Handler {
        final int[] seen;
        int total;
        int failed;

        Arrivals(int expected) {
            seen = new int[expected];
        }

        @Override
        public void complete(long userData, int result, int flags) {
            seen[(int) userData]++;
            total++;
            if (result != 0) {
                failed++;
            }
        }

        void assertEachArrivedOnce() {
            assertEquals(0, failed, "NOPs that failed");
            for (int i = 0; i < seen.length; i++) {
                int index = i;
                assertEquals(1, seen[i], () -> "completions of user_data " + index);
            }
            assertEquals(seen.length, total);
        }
    }

    private static void nopRoundTrips(Ring ring, int batch, int rounds) {
        Arrivals arrivals = new Arrivals(batch * rounds);
        SubmissionQueue submissions = ring.submissions();
        long userData = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < batch; i++) {
                submissions.nop(userData++);
            }
            submissions.publish();
            int submitted = ring.enter(submissions.pending(), batch, IoUring.IORING_ENTER_GETEVENTS, 0, 0);
            assertEquals(batch, submitted, "entries taken by io_uring_enter");
            assertEquals(0, submissions.pending());
            assertEquals(batch, ring.completions().drain(arrivals), "completions of one batch");
        }
        arrivals.assertEachArrivedOnce();
        assertEquals(0, ring.completions().ready());
    }

    @Test
    void nopsComeBackOnceEachInBatchesOfOne() throws IOException {
        nopRoundTrips(open(64, 256), 1, 2000);
    }

    @Test
    void nopsComeBackOnceEachInBatchesOfSixteen() throws IOException {
        nopRoundTrips(open(64, 256), 16, 200);
    }

    @Test
    void nopsComeBackOnceEachInBatchesAsLargeAsTheRing() throws IOException {
        Ring ring = open(64, 256);
        assertEquals(64, ring.submissions().capacity());
        nopRoundTrips(ring, ring.submissions().capacity(), 100);
    }

    @Test
    void aFullSubmissionQueueIsSubmittedBeforeTheNextEntryIsFilled() throws IOException {
        Ring ring = open(8, 64);
        SubmissionQueue submissions = ring.submissions();
        int count = 5 * submissions.capacity();
        for (int i = 0; i < count; i++) {
            submissions.nop(i);
            assertTrue(submissions.pending() <= submissions.capacity(), "pending within the ring");
        }
        assertEquals(count, submissions.prepared());
        assertEquals(submissions.capacity(), submissions.pending(), "only the last ring-full waits for a submit");
        // The forced submits already completed everything before the last ring-full.
        assertEquals(count - submissions.capacity(), ring.completions().ready());
        ring.submitQueued();
        assertEquals(0, submissions.pending());
        Arrivals arrivals = new Arrivals(count);
        ring.enter(0, 0, IoUring.IORING_ENTER_GETEVENTS, 0, 0);
        ring.completions().drain(arrivals);
        arrivals.assertEachArrivedOnce();
    }

    @Test
    void completionsBeyondAFullCompletionQueueAreKeptAndAllArrive() throws IOException {
        Ring ring = open(4, 8);
        assertEquals(8, ring.completions().capacity());
        SubmissionQueue submissions = ring.submissions();
        int count = 40 * ring.completions().capacity();
        for (int i = 0; i < count; i++) {
            submissions.nop(i);
        }
        ring.submitQueued();
        assertEquals(0, submissions.pending(), "every NOP submitted, none reaped");
        assertEquals(ring.completions().capacity(), ring.completions().ready(), "the queue is full");
        assertTrue(ring.completionsOverflowed(), "the kernel says it holds completions aside");

        Arrivals arrivals = new Arrivals(count);
        boolean sawOverflow = false;
        for (int turn = 0; arrivals.total < count && turn < 10 * count; turn++) {
            sawOverflow |= ring.completionsOverflowed();
            int result = ring.enter(0, 0, IoUring.IORING_ENTER_GETEVENTS, 0, 0);
            assertTrue(result >= 0, () -> Errnos.message("io_uring_enter", -result));
            ring.completions().drain(arrivals);
        }
        assertTrue(sawOverflow);
        arrivals.assertEachArrivedOnce();
        assertFalse(ring.completionsOverflowed(), "nothing is held aside any more");
        assertEquals(0, ring.completions().overflowed(), "no completion dropped");
    }

    @Test
    void submittingWhileCompletionsOverflowStillSubmitsEverything() throws IOException {
        Ring ring = open(4, 8);
        SubmissionQueue submissions = ring.submissions();
        int count = 20 * ring.completions().capacity();
        Arrivals arrivals = new Arrivals(2 * count);
        for (int i = 0; i < count; i++) {
            submissions.nop(i);
        }
        ring.submitQueued();
        assertTrue(ring.completionsOverflowed());
        // More submissions while the kernel still holds completions aside: none may be refused or lost.
        for (int i = count; i < 2 * count; i++) {
            submissions.nop(i);
        }
        ring.submitQueued();
        assertEquals(0, submissions.pending());
        for (int turn = 0; arrivals.total < 2 * count && turn < 20 * count; turn++) {
            ring.enter(0, 0, IoUring.IORING_ENTER_GETEVENTS, 0, 0);
            ring.completions().drain(arrivals);
        }
        arrivals.assertEachArrivedOnce();
    }

    @Test
    void errnosBecomeTheExceptionsTheJdkWouldThrow() {
        IOException inUse = Errnos.exception("bind", Errnos.EADDRINUSE);
        assertInstanceOf(BindException.class, inUse);
        assertEquals("Address already in use", inUse.getMessage());
        IOException refused = Errnos.exception("connect", -Errnos.ECONNREFUSED);
        assertInstanceOf(ConnectException.class, refused);
        assertEquals("Connection refused", refused.getMessage());
        IOException unknown = Errnos.exception("io_uring_enter", 200);
        assertSame(IOException.class, unknown.getClass());
        assertTrue(unknown.getMessage().contains("io_uring_enter"), unknown::getMessage);
        assertTrue(unknown.getMessage().contains("errno 200"), unknown::getMessage);
        IOException busy = Errnos.exception("io_uring_enter", Errnos.EBUSY);
        assertEquals("io_uring_enter failed: EBUSY (device or resource busy)", busy.getMessage());
    }

    @Test
    void bindingABusyAddressFailsWithBindException() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(taken.getInetAddress(), taken.getLocalPort());
            BindException refused = assertThrows(BindException.class, () -> Sockets.listen(address, 16, false));
            assertEquals("Address already in use", refused.getMessage());
        }
    }

    @Test
    void enteringAClosedRingReturnsEbadf() throws IOException {
        Ring ring = open(8, 16);
        ring.close();
        assertEquals(-Errnos.EBADF, ring.enter(0, 0, IoUring.IORING_ENTER_GETEVENTS, 0, 0));
    }

    @Test
    void registeringAnUnknownOpcodeReturnsANegativeErrno() throws IOException {
        Ring ring = open(8, 16);
        int result = ring.register(9999, 0, 0);
        assertTrue(result < 0, () -> "result=" + result);
        assertEquals("EINVAL", Errnos.name(result));
    }

    @Test
    void tasksPostedFromFourThreadsAllRunOnThePortInPostingOrder() throws Exception {
        CompletionPort port = openPort("ring-test-wake");
        int posters = 4;
        int each = 2500;
        AtomicIntegerArray next = new AtomicIntegerArray(posters);
        AtomicLong misplaced = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < posters; p++) {
            int poster = p;
            threads.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(poster);
                try {
                    int posted = 0;
                    while (posted < each) {
                        // Bursts whose wakes merge, then a wait that lets the port fall asleep before the next.
                        int burst = Math.min(each - posted, 1 + random.nextInt(8));
                        CountDownLatch burstRan = new CountDownLatch(1);
                        for (int i = 0; i < burst; i++) {
                            int sequence = posted++;
                            boolean last = i == burst - 1;
                            port.execute(() -> {
                                if (!port.inPortThread() || !next.compareAndSet(poster, sequence, sequence + 1)) {
                                    misplaced.incrementAndGet();
                                }
                                if (last) {
                                    burstRan.countDown();
                                }
                            });
                        }
                        if (!burstRan.await(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("poster " + poster + ": task " + (posted - 1)
                                    + " never ran: a wakeup was lost");
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(50));
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(0, misplaced.get(), "tasks off the port thread or out of order");
        for (int p = 0; p < posters; p++) {
            assertEquals(each, next.get(p), "tasks run for poster " + p);
        }
    }

    @Test
    void aScheduledTaskRunsOnThePortAfterItsDelay() throws Exception {
        CompletionPort port = openPort("ring-test-timer");
        long delay = TimeUnit.MILLISECONDS.toNanos(30);
        AtomicBoolean onPort = new AtomicBoolean();
        AtomicLong ranAt = new AtomicLong();
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        ScheduledTask task = port.schedule(delay, () -> {
            ranAt.set(System.nanoTime());
            onPort.set(port.inPortThread());
            ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the timer fired");
        assertTrue(onPort.get(), "ran on the port thread");
        assertTrue(ranAt.get() - start >= delay, "not before its deadline");
        assertFalse(task.cancel(), "a task that ran can no longer be cancelled");
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        CompletionPort port = openPort("ring-test-cancel");
        AtomicBoolean cancelledRan = new AtomicBoolean();
        ScheduledTask cancelled = port.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> cancelledRan.set(true));
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "a second cancel finds it already settled");
        // Cancelled from the port thread too, after it is in the heap.
        AtomicReference<ScheduledTask> onPort = new AtomicReference<>();
        CountDownLatch scheduled = new CountDownLatch(1);
        port.execute(() -> {
            onPort.set(port.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> cancelledRan.set(true)));
            scheduled.countDown();
        });
        assertTrue(scheduled.await(10, TimeUnit.SECONDS));
        assertTrue(onPort.get().cancel());
        CountDownLatch later = new CountDownLatch(1);
        port.schedule(TimeUnit.MILLISECONDS.toNanos(50), later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS), "a later timer fired");
        assertFalse(cancelledRan.get(), "a cancelled task ran");
    }

    @Test
    void aCompletionForALeftSlotIsCountedAndNotApplied() throws Exception {
        UringPort port = (UringPort) openPort("ring-test-stale");
        AtomicLong applied = new AtomicLong();
        AtomicIntegerArray slots = new AtomicIntegerArray(2);
        long staleBefore = onPort(port, port::staleCompletions);
        onPort(port, () -> {
            Registrations registrations = port.registrations();
            int slot = registrations.register((op, result, flags) -> applied.incrementAndGet());
            long old = registrations.userData(slot, PortOps.SEND);
            registrations.unregister(slot);
            // The slot's next tenant must not hear what was meant for the one before.
            slots.set(0, slot);
            slots.set(1, registrations.register((op, result, flags) -> applied.incrementAndGet()));
            port.submissions().nop(old);
            return 0L;
        });
        assertEquals(slots.get(0), slots.get(1), "the freed slot is taken again");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (onPort(port, port::staleCompletions) == staleBefore && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, onPort(port, port::staleCompletions) - staleBefore, "the old generation's completion");
        assertEquals(0, applied.get(), "a completion was applied to the slot's new tenant");
        onPort(port, () -> {
            port.registrations().unregister(slots.get(1));
            return (long) port.registrations().inUse();
        });
    }

    /** Runs {@code read} on the port thread and returns what it read. */
    static long onPort(CompletionPort port, java.util.function.LongSupplier read) throws Exception {
        java.util.concurrent.CompletableFuture<Long> result = new java.util.concurrent.CompletableFuture<>();
        port.execute(() -> {
            try {
                result.complete(read.getAsLong());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
