package io.iocp4j.uring;

import io.iocp4j.spi.ScheduledTask;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The port's timers: a heap of deadlines the port thread checks once per loop turn, and whose earliest deadline
 * bounds how long the ring waits. Port thread only, except {@link ScheduledTask#cancel()}.
 */
final class PortTimers {
    static final long NONE = -1;

    static final class Timer implements ScheduledTask {
        private final long deadline;
        private final Runnable task;
        private final AtomicBoolean settled = new AtomicBoolean();

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            return settled.compareAndSet(false, true);
        }
    }

    private final PriorityQueue<Timer> due = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));

    static Timer create(long delayNanos, Runnable task) {
        return new Timer(System.nanoTime() + Math.max(0, delayNanos), task);
    }

    void add(Timer timer) {
        due.add(timer);
    }

    /** Runs every timer whose deadline has passed; returns how many ran. */
    int runDue() {
        if (due.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        int ran = 0;
        Timer next;
        while ((next = due.peek()) != null && next.deadline - now <= 0) {
            due.poll();
            if (next.settled.compareAndSet(false, true)) {
                next.task.run();
                ran++;
            }
        }
        return ran;
    }

    /** Nanoseconds until the earliest live deadline, 0 when one has passed, {@link #NONE} when there is none. */
    long nanosToNext() {
        Timer next;
        while ((next = due.peek()) != null && next.settled.get()) {
            due.poll();
        }
        return next == null ? NONE : Math.max(0, next.deadline - System.nanoTime());
    }

    int size() {
        return due.size();
    }
}
