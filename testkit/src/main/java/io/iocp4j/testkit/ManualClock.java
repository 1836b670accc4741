package io.iocp4j.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when a test says so, and counts how often it is read: a server's timeout
 * sweeps read it once each, so a test that moves it can wait for the sweeps that saw the new time.
 */
public final class ManualClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    @Override
    public long getAsLong() {
        reads.incrementAndGet();
        return now.get();
    }

    public void advance(Duration step) {
        now.addAndGet(step.toNanos());
    }

    public long reads() {
        return reads.get();
    }

    /**
     * Waits (up to 10 s) until the clock has been read {@code count} more times from now. With one port, two reads
     * after a move mean a whole sweep ran at the new time.
     */
    public void awaitReads(int count) throws InterruptedException {
        long target = reads.get() + count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reads.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the clock was read " + reads.get() + " times, waiting for " + target);
            }
            Thread.sleep(1);
        }
    }

    /** Moves the clock by {@code step} and waits for a whole sweep of one port to have run at the new time. */
    public void advanceAndSweep(Duration step) throws InterruptedException {
        advance(step);
        awaitReads(2);
    }
}
