package io.iocp4j.job;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tasks run one at a time, in the order they were given, on threads of a shared executor: one connection's jobs
 * on the common worker pool. The queue is never on more than one worker at once, so each task sees everything the
 * one before it did, whichever thread ran that one. After a batch of tasks it gives the worker back and queues
 * itself again behind the other queues' turns, so one busy queue cannot hold a worker forever.
 *
 * <p>{@link #execute} from any thread.
 */
public final class SerialQueue implements Executor {
    private final Executor executor;
    private final int batch;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True from the moment a turn is handed to the executor until the turn finds nothing more to run. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable turn = this::runTurn;

    /** Runs on {@code executor}, at most {@code batch} tasks per turn. */
    public SerialQueue(Executor executor, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch=" + batch);
        }
        this.executor = executor;
        this.batch = batch;
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(turn);
        }
    }

    /** True while a task is queued or a turn is under way. */
    public boolean isBusy() {
        return scheduled.get() || !tasks.isEmpty();
    }

    private void runTurn() {
        boolean again = true;
        try {
            for (int ran = 0; ran < batch; ran++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    scheduled.set(false);
                    // A task offered after the poll above saw the flag still set and did not schedule a turn.
                    if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
                        again = false;
                        return;
                    }
                    continue;
                }
                task.run();
            }
        } finally {
            // A batch used up, or a task that threw: the rest wait for the next turn rather than for a new task.
            if (again) {
                executor.execute(turn);
            }
        }
    }
}
