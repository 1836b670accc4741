package io.iocp4j.job;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A serial queue on a fake executor whose turns the test runs by hand, one at a time. */
class SerialQueueTest {
    /** Keeps what it is given; the test decides when each turn runs. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> turns = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            turns.add(command);
        }

        void runNext() {
            turns.remove().run();
        }
    }

    private final ManualExecutor executor = new ManualExecutor();
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsTasksInTheOrderGivenWithOneTurnScheduledAtATime() {
        SerialQueue queue = new SerialQueue(executor, 10);
        queue.execute(() -> ran.add("a"));
        queue.execute(() -> ran.add("b"));
        queue.execute(() -> ran.add("c"));
        assertEquals(1, executor.turns.size(), "one turn for three tasks");
        assertTrue(queue.isBusy());
        executor.runNext();
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(0, executor.turns.size());
        assertFalse(queue.isBusy());
    }

    @Test
    void aTaskGivenDuringATurnRunsInThatTurnWithoutASecondOne() {
        SerialQueue queue = new SerialQueue(executor, 10);
        queue.execute(() -> {
            ran.add("first");
            queue.execute(() -> ran.add("added while running"));
        });
        executor.runNext();
        assertEquals(List.of("first", "added while running"), ran);
        assertEquals(0, executor.turns.size());
    }

    @Test
    void givesTheWorkerBackAfterABatchAndQueuesItsNextTurnBehindOthers() {
        SerialQueue busy = new SerialQueue(executor, 2);
        SerialQueue other = new SerialQueue(executor, 2);
        for (int i = 0; i < 5; i++) {
            int n = i;
            busy.execute(() -> ran.add("busy " + n));
        }
        other.execute(() -> ran.add("other"));
        executor.runNext();
        assertEquals(List.of("busy 0", "busy 1"), ran);
        executor.runNext();
        assertEquals(List.of("busy 0", "busy 1", "other"), ran, "the other queue's turn came before busy's next");
        while (!executor.turns.isEmpty()) {
            executor.runNext();
        }
        assertEquals(List.of("busy 0", "busy 1", "other", "busy 2", "busy 3", "busy 4"), ran);
        assertFalse(busy.isBusy());
    }

    @Test
    void aTaskThatThrowsDoesNotStallTheTasksBehindIt() {
        SerialQueue queue = new SerialQueue(executor, 10);
        queue.execute(() -> {
            throw new IllegalStateException("task bug");
        });
        queue.execute(() -> ran.add("after"));
        assertThrows(IllegalStateException.class, executor::runNext);
        assertEquals(1, executor.turns.size(), "the rest got a turn of their own");
        executor.runNext();
        assertEquals(List.of("after"), ran);
        queue.execute(() -> ran.add("later"));
        executor.runNext();
        assertEquals(List.of("after", "later"), ran);
    }

    @Test
    void refusesABatchOfNothing() {
        assertThrows(IllegalArgumentException.class, () -> new SerialQueue(executor, 0));
    }
}
