package io.iocp4j.buffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest {
    private static final int THREADS = 8;
    private static final int LEASES_PER_THREAD = 4000;
    private static final int CHECKPOINT_EVERY = 500;

    /**
     * Eight threads lease, share and release at random. Every {@value #CHECKPOINT_EVERY} leases they all stop
     * while the test counts the distinct buffers they hold: the pool's count and its leak sites must match it.
     * Each lease is stamped with a number unique to it and the stamp is checked before every release, so a
     * buffer handed to two holders at once shows up as a changed stamp.
     */
    @Test
    void keepsTheOutstandingCountExactUnderLeasesAndReleasesFromManyThreads() throws InterruptedException {
        BufferPool pool = new BufferPool(4 << 20, true);
        Queue<Stamped> handedOver = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong stamps = new AtomicLong();
        // Two phases per checkpoint: everyone quiet, then everyone on again. A failing thread deregisters.
        Phaser checkpoints = new Phaser(THREADS + 1);
        @SuppressWarnings("unchecked")
        List<Stamped>[] snapshots = new List[THREADS];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    churn(pool, new Random(thread), stamps, handedOver, held -> {
                        snapshots[thread] = List.copyOf(held);
                        checkpoints.arriveAndAwaitAdvance();
                        checkpoints.arriveAndAwaitAdvance();
                    });
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    checkpoints.arriveAndDeregister();
                }
            }));
        }
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (int c = 0; c < LEASES_PER_THREAD / CHECKPOINT_EVERY; c++) {
            checkpoints.arriveAndAwaitAdvance();
            Set<IoBuffer> held = Collections.newSetFromMap(new IdentityHashMap<>());
            for (List<Stamped> snapshot : snapshots) {
                if (snapshot != null) {
                    snapshot.forEach(stamped -> held.add(stamped.buffer()));
                }
            }
            handedOver.forEach(stamped -> held.add(stamped.buffer()));
            long outstanding = pool.leasesOutstanding();
            int sites = pool.outstandingLeaseSites().size();
            if (outstanding != held.size() || sites != held.size()) {
                mismatches.add("checkpoint " + c + ": held=" + held.size() + " outstanding=" + outstanding
                        + " sites=" + sites);
            }
            checked += held.isEmpty() ? 0 : 1;
            checkpoints.arriveAndAwaitAdvance();
        }
        checkpoints.arriveAndDeregister();
        for (Thread thread : threads) {
            thread.join();
        }
        for (Stamped left; (left = handedOver.poll()) != null; ) {
            left.checkAndRelease();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertTrue(mismatches.isEmpty(), () -> "mismatches: " + mismatches);
        assertTrue(checked > 0, "some checkpoint found leases held");
        assertEquals(THREADS * (long) LEASES_PER_THREAD, pool.leasesTotal());
        assertEquals(0, pool.leasesOutstanding());
        assertTrue(pool.outstandingLeaseSites().isEmpty());
    }

    private static void churn(BufferPool pool, Random random, AtomicLong stamps, Queue<Stamped> handedOver,
                              Consumer<ArrayDeque<Stamped>> checkpoint) {
        ArrayDeque<Stamped> held = new ArrayDeque<>();
        for (int i = 1; i <= LEASES_PER_THREAD; i++) {
            int size = randomSize(random);
            IoBuffer buffer = pool.lease(size);
            assertLeasedFresh(size, buffer);
            Stamped stamped = new Stamped(buffer, stamps.incrementAndGet());
            if (random.nextInt(8) == 0) {
                // Shared with whichever thread polls it next; both holders release once.
                buffer.retain();
                handedOver.add(stamped);
            }
            held.add(stamped);
            Stamped other = handedOver.poll();
            if (other != null) {
                other.checkAndRelease(random);
            }
            while (held.size() > random.nextInt(8)) {
                Stamped oldest = random.nextBoolean() ? held.pollFirst() : held.pollLast();
                oldest.checkAndRelease(random);
            }
            if (i % CHECKPOINT_EVERY == 0) {
                checkpoint.accept(held);
            }
        }
        for (Stamped left : held) {
            left.checkAndRelease(random);
        }
    }

    private static void assertLeasedFresh(int size, IoBuffer buffer) {
        int expected = size > BufferPool.MAX_CLASS_BYTES ? size : expectedClass(size);
        if (buffer.capacity() != expected || buffer.refCount() != 1 || buffer.byteBuffer().position() != 0
                || buffer.byteBuffer().limit() != expected || buffer.byteBuffer().order() != ByteOrder.BIG_ENDIAN) {
            throw new AssertionError("lease of " + size + " bytes came back as " + buffer + " with "
                    + buffer.byteBuffer() + " " + buffer.byteBuffer().order());
        }
    }

    /** Every size class from 64 bytes to 2 MiB about equally often, and now and then an unpooled size. */
    private static int randomSize(Random random) {
        if (random.nextInt(200) == 0) {
            return BufferPool.MAX_CLASS_BYTES + 1 + random.nextInt(4096);
        }
        int shift = random.nextInt(22);
        return shift == 0 ? random.nextInt(2) : (1 << (shift - 1)) + random.nextInt(1 << (shift - 1)) + 1;
    }

    private record Stamped(IoBuffer buffer, long stamp) {
        Stamped {
            // Every class holds at least 64 bytes, so the stamp always fits.
            buffer.byteBuffer().putLong(0, stamp);
        }

        /** Checks the stamp; the last holder also leaves the window and order disturbed for the next lease. */
        void checkAndRelease(Random random) {
            assertEquals(stamp, buffer.byteBuffer().getLong(0), "stamp changed while leased");
            if (buffer.refCount() == 1) {
                ByteBuffer bytes = buffer.byteBuffer();
                bytes.limit(8 + random.nextInt(bytes.capacity() - 7)).position(random.nextInt(bytes.limit() + 1));
                bytes.order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            }
            buffer.release();
        }

        void checkAndRelease() {
            assertEquals(stamp, buffer.byteBuffer().getLong(0), "stamp changed while leased");
            buffer.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, BufferPool.MAX_CLASS_BYTES + 1})
    void saysWhenTheLastReferenceIsReleasedAndThrowsOnReleasingAgain(int size) {
        BufferPool pool = new BufferPool(1 << 20, false);
        IoBuffer buffer = pool.lease(size);
        assertSame(buffer, buffer.retain());
        assertEquals(2, buffer.refCount());
        assertFalse(buffer.release());
        assertEquals(1, pool.leasesOutstanding(), "a shared buffer is one lease");
        assertTrue(buffer.release());
        assertEquals(0, pool.leasesOutstanding());
        assertThrows(IllegalStateException.class, buffer::release);
        assertEquals(0, pool.leasesOutstanding(), "a double release does not count twice");
        assertEquals(0, buffer.refCount());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, BufferPool.MAX_CLASS_BYTES + 1})
    void refusesRetainAndAccessAfterRelease(int size) {
        BufferPool pool = new BufferPool(1 << 20, false);
        IoBuffer buffer = pool.lease(size);
        buffer.release();
        assertThrows(IllegalStateException.class, buffer::retain);
        assertThrows(IllegalStateException.class, buffer::byteBuffer);
        assertThrows(IllegalStateException.class, buffer::segment);
        assertEquals(0, buffer.refCount());
        assertEquals(0, pool.leasesOutstanding(), "a refused retain does not bring the lease back");
    }

    @Test
    void handsBackAReleasedBufferWithAFreshWindowAndCount() {
        // No spare room in the free lists: the next lease of this size class is the buffer released here.
        BufferPool pool = new BufferPool(0, false);
        IoBuffer first = pool.lease(100_000);
        first.byteBuffer().position(10).limit(20);
        first.retain();
        first.release();
        first.release();

        IoBuffer again = pool.lease(90_000);
        assertSame(first, again);
        assertEquals(0, again.byteBuffer().position());
        assertEquals(again.capacity(), again.byteBuffer().limit());
        assertEquals(1, again.refCount());
        again.release();
    }

    /** Big-endian is what a fresh ByteBuffer promises, and what the frame header is written in. */
    @Test
    void handsBackAReleasedBufferBigEndianWhateverTheLastHolderSet() {
        BufferPool pool = new BufferPool(0, false);
        IoBuffer first = pool.lease(100_000);
        first.byteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        first.release();

        IoBuffer again = pool.lease(100_000);
        assertSame(first, again);
        ByteOrder order = again.byteBuffer().order();
        again.release();
        assertEquals(ByteOrder.BIG_ENDIAN, order);
    }

    @Test
    void roundsEachRequestUpToItsPowerOfTwoClass() {
        BufferPool pool = new BufferPool(1 << 20, false);
        int[] requests = {0, 1, 63, 64, 65, 127, 128, 129, 1000, 4096, 4097, 65_535, 65_536, 65_537,
                1 << 20, BufferPool.MAX_CLASS_BYTES - 1, BufferPool.MAX_CLASS_BYTES};
        for (int request : requests) {
            IoBuffer buffer = pool.lease(request);
            assertEquals(expectedClass(request), buffer.capacity(), "request=" + request);
            assertEquals(buffer.capacity(), buffer.byteBuffer().remaining());
            buffer.release();
        }
        Random random = new Random(17);
        for (int i = 0; i < 2000; i++) {
            int request = random.nextInt(BufferPool.MAX_CLASS_BYTES + 1);
            IoBuffer buffer = pool.lease(request);
            assertEquals(expectedClass(request), buffer.capacity(), "request=" + request);
            buffer.release();
        }
        assertEquals(0, pool.leasesOutstanding());
    }

    @Test
    void givesALargerRequestExactlyWhatItAskedFor() {
        BufferPool pool = new BufferPool(1 << 20, false);
        for (int request : new int[] {BufferPool.MAX_CLASS_BYTES + 1, BufferPool.MAX_CLASS_BYTES + (3 << 20)}) {
            IoBuffer buffer = pool.lease(request);
            assertEquals(request, buffer.capacity());
            assertEquals(1, pool.leasesOutstanding());
            assertTrue(buffer.release());
            assertEquals(0, pool.leasesOutstanding());
        }
    }

    @Test
    void refusesANegativeRequest() {
        BufferPool pool = new BufferPool(1 << 20, false);
        assertThrows(IllegalArgumentException.class, () -> pool.lease(-1));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(-1, false));
        assertEquals(0, pool.leasesTotal());
    }

    @Test
    void listsOneLeaseSitePerOutstandingLeaseWhenTrackingLeaks() {
        BufferPool pool = new BufferPool(1 << 20, true);
        assertTrue(pool.tracksLeaks());
        List<IoBuffer> buffers = new ArrayList<>();
        for (int size : new int[] {10, 10, 5000, BufferPool.MAX_CLASS_BYTES + 1}) {
            buffers.add(pool.lease(size));
        }
        List<Throwable> sites = pool.outstandingLeaseSites();
        assertEquals(4, sites.size());
        for (Throwable site : sites) {
            assertTrue(Arrays.stream(site.getStackTrace())
                            .anyMatch(frame -> frame.getClassName().equals(BufferPoolTest.class.getName())),
                    "the site names the code that leased");
        }

        buffers.get(0).retain();
        assertEquals(4, pool.outstandingLeaseSites().size(), "a shared buffer is still one lease");
        buffers.get(0).release();
        buffers.get(1).release();
        assertEquals(3, pool.outstandingLeaseSites().size());
        for (IoBuffer buffer : buffers) {
            if (buffer.refCount() > 0) {
                buffer.release();
            }
        }
        assertTrue(pool.outstandingLeaseSites().isEmpty());
        assertEquals(0, pool.leasesOutstanding());

        IoBuffer again = pool.lease(10);
        assertEquals(1, pool.outstandingLeaseSites().size(), "a re-leased buffer is tracked afresh");
        again.release();
        assertTrue(pool.outstandingLeaseSites().isEmpty());
    }

    @Test
    void listsNoLeaseSitesWithoutTracking() {
        BufferPool pool = new BufferPool(1 << 20, false);
        assertFalse(pool.tracksLeaks());
        IoBuffer buffer = pool.lease(10);
        assertTrue(pool.outstandingLeaseSites().isEmpty());
        assertEquals(1, pool.leasesOutstanding());
        buffer.release();
    }

    @Test
    void showsTheSameBytesThroughTheByteBufferAndTheSegment() {
        BufferPool pool = new BufferPool(1 << 20, false);
        IoBuffer buffer = pool.lease(64);
        ByteBuffer bytes = buffer.byteBuffer();
        bytes.put(0, (byte) 42);
        assertEquals(64, buffer.segment().byteSize());
        assertEquals(42, buffer.segment().get(ValueLayout.JAVA_BYTE, 0));
        buffer.release();
    }

    private static int expectedClass(int request) {
        int size = BufferPool.MIN_CLASS_BYTES;
        while (size < request) {
            size <<= 1;
        }
        return size;
    }
}
