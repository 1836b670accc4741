package io.iocp4j.job;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReorderWindowTest {
    private final List<Long> released = new ArrayList<>();

    @Test
    void holdsALaterResultUntilEveryEarlierOneHasCompleted() {
        ReorderWindow<Long> window = new ReorderWindow<>(8, released::add);
        window.complete(2, 2L);
        window.complete(1, 1L);
        assertEquals(List.of(), released, "0 is still running");
        window.complete(0, 0L);
        assertEquals(List.of(0L, 1L, 2L), released);
        assertEquals(3, window.nextToRelease());
    }

    @Test
    void releasesInNumberOrderWhateverOrderResultsCompleteIn() {
        Random random = new Random(5);
        ReorderWindow<Long> window = new ReorderWindow<>(16, released::add);
        long next = 0;
        List<Long> expected = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            // At most a window's worth of numbers outstanding, completed in a shuffled order.
            int count = 1 + random.nextInt(16);
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                numbers.add(next + i);
                expected.add(next + i);
            }
            next += count;
            Collections.shuffle(numbers, random);
            numbers.forEach(number -> window.complete(number, number));
        }
        assertEquals(expected, released);
    }

    @Test
    void refusesANumberOutsideTheWindowOrCompletedTwice() {
        ReorderWindow<Long> window = new ReorderWindow<>(4, released::add);
        assertEquals(4, window.capacity());
        assertThrows(IllegalArgumentException.class, () -> window.complete(4, 4L), "beyond the window");
        window.complete(1, 1L);
        assertThrows(IllegalArgumentException.class, () -> window.complete(1, 1L), "twice while held");
        window.complete(0, 0L);
        assertThrows(IllegalArgumentException.class, () -> window.complete(0, 0L), "already released");
        assertEquals(List.of(0L, 1L), released);
    }

    @Test
    void resultsCompletedOnManyThreadsAreHandedOnInOrder() throws InterruptedException {
        int threads = 4;
        int each = 20_000;
        int capacity = 8;
        // As a connection admits no more jobs than its window holds: a number is taken only with a permit, and the
        // permit comes back when the window hands the number on.
        Semaphore admitted = new Semaphore(capacity);
        // The window calls its consumer under its own lock, so a plain list is safe here.
        List<Long> seen = new ArrayList<>();
        ReorderWindow<Long> window = new ReorderWindow<>(capacity, number -> {
            seen.add(number);
            admitted.release();
        });
        AtomicLong nextNumber = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    admitted.acquireUninterruptibly();
                    long number = nextNumber.getAndIncrement();
                    if ((number & 7) == 0) {
                        Thread.yield();
                    }
                    window.complete(number, number);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(threads * each, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
    }
}
