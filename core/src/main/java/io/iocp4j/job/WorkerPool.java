package io.iocp4j.job;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Worker threads taking tasks from one FIFO queue, resizable while running, and a budget of jobs that bounds how
 * much work may wait.
 *
 * <p>Tasks and budget are apart on purpose. A task is whatever runs on a worker: one packet's job, or a
 * connection's serial queue taking its turn. The budget counts packets taken in from the network: a port thread
 * {@linkplain #tryReserve() reserves} a unit before it takes a packet and the unit is {@linkplain #release()
 * released} once the packet is handled, so the number of packets held never passes the capacity. Whoever finds the
 * budget spent asks to be {@linkplain #whenRoom told when room comes back} and stops reading meanwhile.
 *
 * <p>Resizing never loses or reorders a task: every worker takes from the same queue, and a worker leaves only
 * between tasks. Thread-safe.
 */
public final class WorkerPool implements JobPool, Executor {
    public static final int MAX_WORKERS = 1024;
    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private final String namePrefix;
    private final int capacity;
    /** Waiters are woken when the budget in use falls to this: a quarter free, so a reader resumes with room. */
    private final int roomMark;
    private final AtomicInteger reserved = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> roomWaiters = new ConcurrentLinkedQueue<>();
    private final LongAdder completed = new LongAdder();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition workerLeft = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Set<Thread> live = new HashSet<>();
    private final List<Thread> started = new ArrayList<>();
    private int target;
    private int nextNumber;
    private boolean shutdown;

    /**
     * @param namePrefix the workers' thread names, followed by a number
     * @param workers    threads to start; 0 makes a pool whose tasks run only on a thread lent by
     *                   {@link #runQueued()}
     * @param capacity   the budget: packets that may be held at once
     */
    public WorkerPool(String namePrefix, int workers, int capacity) {
        if (workers < 0 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers=" + workers);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        this.namePrefix = namePrefix;
        this.capacity = capacity;
        this.roomMark = capacity - Math.max(1, capacity / 4);
        lock.lock();
        try {
            target = workers;
            startMissing();
        } finally {
            lock.unlock();
        }
    }

    // ---- the user's view ----

    @Override
    public int size() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resize(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers=" + workers + " (must be 1 to " + MAX_WORKERS + ")");
        }
        lock.lock();
        try {
            if (shutdown) {
                throw new IllegalStateException("the job pool has shut down");
            }
            target = workers;
            startMissing();
            if (live.size() > target) {
                // Idle workers wake up to see that they should leave; busy ones leave after their task.
                workAvailable.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int queuedJobs() {
        return reserved.get();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long completedTasks() {
        return completed.sum();
    }

    /** Worker threads running now: more than {@link #size()} for a moment after a shrink. */
    public int liveWorkers() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }

    /** True on one of this pool's worker threads. */
    public boolean inWorkerThread() {
        lock.lock();
        try {
            return live.contains(Thread.currentThread());
        } finally {
            lock.unlock();
        }
    }

    // ---- tasks ----

    /**
     * Queues {@code task} behind every task queued before it.
     *
     * @throws RejectedExecutionException when the pool has shut down and no worker is left to run it
     */
    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            if (shutdown && live.isEmpty()) {
                throw new RejectedExecutionException("the job pool has shut down");
            }
            tasks.add(task);
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Runs queued tasks on the calling thread until none is left; how many it ran. */
    public int runQueued() {
        int ran = 0;
        Runnable task;
        while ((task = poll()) != null) {
            try {
                task.run();
            } finally {
                completed.increment();
            }
            ran++;
        }
        return ran;
    }

    private Runnable poll() {
        lock.lock();
        try {
            return tasks.poll();
        } finally {
            lock.unlock();
        }
    }

    // ---- budget ----

    /** Takes one unit of the budget; false when all of it is in use. */
    public boolean tryReserve() {
        for (;;) {
            int current = reserved.get();
            if (current >= capacity) {
                return false;
            }
            if (reserved.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back one unit; waiters are woken once enough has come back. */
    public void release() {
        int left = reserved.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("budget released more often than reserved: reserved=" + left);
        }
        if (left <= roomMark && !roomWaiters.isEmpty()) {
            wakeWaiters();
        }
    }

    /** True when enough budget is free for a paused reader to resume. */
    public boolean hasRoom() {
        return reserved.get() <= roomMark;
    }

    /**
     * Runs {@code wake} once there is room: at once, on this thread, if there is room now; else on the thread that
     * releases enough budget. {@code wake} must be quick; it typically hands work to a port.
     */
    public void whenRoom(Runnable wake) {
        roomWaiters.add(wake);
        // A release between the caller's check and the add above would have found no waiter to wake.
        if (hasRoom()) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        Runnable wake;
        while ((wake = roomWaiters.poll()) != null) {
            wake.run();
        }
    }

    // ---- lifetime ----

    /** Workers finish the tasks queued so far, then end. No resize is accepted after this. */
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for every worker thread ever started to end; true when they did within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> threads;
        lock.lock();
        try {
            while (!live.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                workerLeft.awaitNanos(left);
            }
            threads = List.copyOf(started);
        } finally {
            lock.unlock();
        }
        // A worker has left the pool a moment before its thread has ended.
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    private void startMissing() {
        started.removeIf(thread -> !thread.isAlive() && !live.contains(thread));
        while (live.size() < target) {
            Thread worker = Thread.ofPlatform().name(namePrefix + nextNumber++).unstarted(this::work);
            live.add(worker);
            started.add(worker);
            worker.start();
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        Runnable task;
        while ((task = next(self)) != null) {
            try {
                task.run();
            } catch (VirtualMachineError fatal) {
                // This thread may be unfit to go on; another takes its place before the error propagates.
                leave(self);
                throw fatal;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "a task failed on " + self.getName(), t);
            } finally {
                completed.increment();
            }
        }
    }

    /** The next task, or null when this worker should end. */
    private Runnable next(Thread self) {
        lock.lock();
        try {
            for (;;) {
                if (live.size() > target) {
                    leaveLocked(self);
                    return null;
                }
                Runnable task = tasks.poll();
                if (task != null) {
                    return task;
                }
                if (shutdown) {
                    leaveLocked(self);
                    return null;
                }
                workAvailable.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void leave(Thread self) {
        lock.lock();
        try {
            leaveLocked(self);
            if (!shutdown) {
                startMissing();
            }
        } finally {
            lock.unlock();
        }
    }

    private void leaveLocked(Thread self) {
        live.remove(self);
        workerLeft.signalAll();
        if (!tasks.isEmpty()) {
            // The signal that woke this worker may have been meant for a task it leaves behind.
            workAvailable.signal();
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + namePrefix + "*, size=" + size() + ", queuedJobs=" + queuedJobs() + "/" + capacity + "]";
    }
}
