package io.iocp4j.job;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {
    private final List<WorkerPool> pools = new ArrayList<>();

    @AfterEach
    void everyWorkerEnds() throws InterruptedException {
        for (WorkerPool pool : pools) {
            pool.shutdown();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
        }
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("test-worker-") && thread.isAlive()).toList());
    }

    private WorkerPool pool(int workers, int capacity) {
        WorkerPool pool = new WorkerPool("test-worker-", workers, capacity);
        pools.add(pool);
        return pool;
    }

    @Test
    void theBudgetIsNeverExceededAndWaitersHearOnceAQuarterIsFree() {
        WorkerPool pool = pool(0, 8);
        for (int i = 0; i < 8; i++) {
            assertTrue(pool.tryReserve(), "unit " + i);
        }
        assertFalse(pool.tryReserve());
        assertEquals(8, pool.queuedJobs());
        assertFalse(pool.hasRoom());
        AtomicInteger woken = new AtomicInteger();
        pool.whenRoom(woken::incrementAndGet);
        pool.release();
        assertEquals(0, woken.get(), "one unit free is not room enough to resume");
        assertTrue(pool.tryReserve());
        pool.release();
        pool.release();
        assertEquals(1, woken.get(), "a quarter free wakes the waiter");
        assertTrue(pool.hasRoom());
        pool.release();
        assertEquals(1, woken.get(), "a waiter is woken once");
        pool.whenRoom(woken::incrementAndGet);
        assertEquals(2, woken.get(), "asking when there is room wakes at once");
        assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 9; i++) {
                pool.release();
            }
        });
    }

    @Test
    void aPoolWithoutWorkersRunsItsTasksOnALentThreadInOrder() {
        WorkerPool pool = pool(0, 4);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            pool.execute(() -> ran.add(n));
        }
        assertEquals(List.of(), ran);
        assertEquals(5, pool.runQueued());
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
        assertEquals(5, pool.completedTasks());
    }

    @Test
    void growingAndShrinkingAHundredTimesLosesAndReordersNothing() throws InterruptedException {
        WorkerPool pool = pool(2, 1024);
        int queues = 8;
        int each = 5_000;
        List<List<Integer>> seen = new ArrayList<>();
        List<SerialQueue> serial = new ArrayList<>();
        for (int q = 0; q < queues; q++) {
            seen.add(new ArrayList<>());
            serial.add(new SerialQueue(pool, 4));
        }
        CountDownLatch done = new CountDownLatch(queues * each);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < each; i++) {
                for (int q = 0; q < queues; q++) {
                    List<Integer> list = seen.get(q);
                    int n = i;
                    serial.get(q).execute(() -> {
                        list.add(n);
                        done.countDown();
                    });
                }
            }
        });
        Random random = new Random(3);
        for (int resize = 0; resize < 100; resize++) {
            pool.resize(1 + random.nextInt(6));
            Thread.yield();
        }
        producer.join();
        assertTrue(done.await(30, TimeUnit.SECONDS), "tasks left: " + done.getCount());
        for (List<Integer> list : seen) {
            assertEquals(each, list.size());
            for (int i = 0; i < each; i++) {
                assertEquals(i, list.get(i));
            }
        }
    }

    @Test
    void shrinkingLetsWorkersGoOnceTheirTaskIsDone() throws InterruptedException {
        WorkerPool pool = pool(4, 16);
        assertEquals(4, pool.liveWorkers());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            awaitQuietly(finish);
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        pool.resize(1);
        assertEquals(1, pool.size());
        awaitLive(pool, 1);
        finish.countDown();
        pool.resize(3);
        assertEquals(3, pool.liveWorkers());
    }

    @Test
    void aWorkerSurvivesATaskThatThrows() throws InterruptedException {
        WorkerPool pool = pool(1, 4);
        CountDownLatch after = new CountDownLatch(1);
        List<String> names = new ArrayList<>();
        pool.execute(() -> {
            names.add(Thread.currentThread().getName());
            throw new IllegalStateException("task bug");
        });
        pool.execute(() -> {
            names.add(Thread.currentThread().getName());
            after.countDown();
        });
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("test-worker-0", "test-worker-0"), names);
        assertEquals(1, pool.liveWorkers());
    }

    @Test
    void shutdownRunsWhatIsQueuedThenEndsEveryWorkerAndRefusesMore() throws InterruptedException {
        WorkerPool pool = pool(3, 4);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            pool.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
        assertEquals(100, ran.get());
        assertEquals(0, pool.liveWorkers());
        assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
        assertThrows(IllegalStateException.class, () -> pool.resize(2));
    }

    @Test
    void refusesSizesOutsideOneToTheMaximum() {
        WorkerPool pool = pool(1, 4);
        assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
        assertThrows(IllegalArgumentException.class, () -> pool.resize(WorkerPool.MAX_WORKERS + 1));
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool("x", -1, 4));
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool("x", 1, 0));
        assertThrows(IllegalStateException.class, () -> JobPool.none().resize(2));
        assertEquals(0, JobPool.none().size());
    }

    private static void awaitLive(WorkerPool pool, int workers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.liveWorkers() != workers && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(workers, pool.liveWorkers());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
