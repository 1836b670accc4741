package io.iocp4j.buffer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MpmcArrayQueueTest {
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int PER_PRODUCER = 200_000;

    @Test
    void roundsTheCapacityUpToAPowerOfTwo() {
        int[][] requestedAndActual = {{2, 2}, {3, 4}, {4, 4}, {5, 8}, {7, 8}, {8, 8}, {9, 16}, {1000, 1024},
                {1024, 1024}, {1025, 2048}, {65_537, 131_072}};
        for (int[] pair : requestedAndActual) {
            assertEquals(pair[1], new MpmcArrayQueue<>(pair[0]).capacity(), "requested=" + pair[0]);
        }
    }

    @Test
    void refusesACapacityBelowTwo() {
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(1));
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(0));
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(-4));
    }

    /** Rounding anything above 2^30 up to a power of two would overflow an int. */
    @Test
    void refusesACapacityAboveTwoToTheThirty() {
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>((1 << 30) + 1));
        assertThrows(IllegalArgumentException.class, () -> new MpmcArrayQueue<>(Integer.MAX_VALUE));
    }

    @Test
    void refusesAnOfferWhenFullAndGivesNullWhenEmpty() {
        MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(5);
        assertNull(queue.poll());
        for (int i = 0; i < queue.capacity(); i++) {
            assertTrue(queue.offer(i), "offer " + i);
        }
        assertFalse(queue.offer(-1));
        assertEquals(0, queue.poll());
        assertTrue(queue.offer(8), "one poll frees one cell");
        assertFalse(queue.offer(-1));
        for (int i = 1; i <= 8; i++) {
            assertEquals(i, queue.poll());
        }
        assertNull(queue.poll());
    }

    @Test
    void keepsFirstInFirstOutOrderOverManyLaps() {
        MpmcArrayQueue<Integer> queue = new MpmcArrayQueue<>(4);
        int next = 0;
        int expected = 0;
        for (int lap = 0; lap < 50; lap++) {
            int burst = 1 + lap % queue.capacity();
            for (int i = 0; i < burst; i++) {
                assertTrue(queue.offer(next++));
            }
            for (int i = 0; i < burst; i++) {
                assertEquals(expected++, queue.poll());
            }
            assertNull(queue.poll());
        }
    }

    /**
     * Elements carry their producer and sequence number. Each consumer checks that it sees each producer's
     * elements in increasing order; at the end every element must have been taken exactly once. Consumers stop
     * when the producers are done and the queue is empty, so a lost element fails the count instead of hanging.
     */
    @Test
    void deliversEveryElementExactlyOnceInEachProducersOrder() throws InterruptedException {
        MpmcArrayQueue<Long> queue = new MpmcArrayQueue<>(64);
        AtomicInteger producing = new AtomicInteger(PRODUCERS);
        AtomicInteger consuming = new AtomicInteger(CONSUMERS);
        AtomicInteger taken = new AtomicInteger();
        int[][][] counts = new int[CONSUMERS][PRODUCERS][PER_PRODUCER];
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            long producer = p;
            threads.add(running(start, failures, () -> {
                try {
                    for (int seq = 0; seq < PER_PRODUCER; seq++) {
                        Long element = producer << 32 | seq;
                        while (!queue.offer(element)) {
                            if (consuming.get() == 0) {
                                throw new AssertionError("queue full and every consumer gone");
                            }
                            Thread.yield();
                        }
                    }
                } finally {
                    producing.decrementAndGet();
                }
            }));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            int[][] mine = counts[c];
            threads.add(running(start, failures, () -> {
                try {
                    consume(queue, producing, taken, mine);
                } finally {
                    consuming.decrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertNull(queue.poll());
        List<String> wrong = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            for (int seq = 0; seq < PER_PRODUCER; seq++) {
                int times = 0;
                for (int c = 0; c < CONSUMERS; c++) {
                    times += counts[c][p][seq];
                }
                if (times != 1 && wrong.size() < 10) {
                    wrong.add("producer " + p + " element " + seq + " taken " + times + " times");
                }
            }
        }
        assertTrue(wrong.isEmpty(), () -> "elements not taken exactly once: " + wrong);
        assertEquals(PRODUCERS * PER_PRODUCER, taken.get());
    }

    private static void consume(MpmcArrayQueue<Long> queue, AtomicInteger producing, AtomicInteger taken,
                                int[][] counts) {
        int[] last = new int[PRODUCERS];
        Arrays.fill(last, -1);
        for (;;) {
            Long element = queue.poll();
            if (element == null) {
                // Every offer has returned once the count is zero: a null poll after that means empty.
                if (producing.get() == 0 && (element = queue.poll()) == null) {
                    return;
                }
                if (element == null) {
                    Thread.yield();
                    continue;
                }
            }
            taken.incrementAndGet();
            int producer = (int) (element >>> 32);
            int seq = (int) (long) element;
            if (seq <= last[producer]) {
                throw new AssertionError("producer " + producer + ": " + seq + " after " + last[producer]);
            }
            last[producer] = seq;
            counts[producer][seq]++;
        }
    }

    private static Thread running(CountDownLatch start, Queue<Throwable> failures, Runnable body) {
        return Thread.ofPlatform().start(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }
}
