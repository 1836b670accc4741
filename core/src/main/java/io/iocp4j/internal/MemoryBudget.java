package io.iocp4j.internal;

import io.iocp4j.buffer.Accumulator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cap on one kind of memory all of an engine's connections hold together: partial frames, or send queues. A
 * charge that would pass the cap is refused, so the sum never exceeds it; well before that, past the
 * {@linkplain #overHighMark() high mark}, the {@link BudgetWarden} makes the connections holding the most give it
 * back, so that the others rarely meet a refusal.
 *
 * <p>Thread-safe: charged and refunded from any thread.
 */
final class MemoryBudget implements Accumulator.Allowance {
    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder refusals = new LongAdder();
    private volatile long peak;

    MemoryBudget(String name, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(name + "=" + limit + " (must be at least 1 byte)");
        }
        this.name = name;
        this.limit = limit;
    }

    @Override
    public boolean take(long bytes) {
        for (;;) {
            long before = used.get();
            long after = before + bytes;
            if (after > limit) {
                refusals.increment();
                return false;
            }
            if (used.compareAndSet(before, after)) {
                if (after > peak) {
                    // A racy maximum: statistics only.
                    peak = after;
                }
                return true;
            }
        }
    }

    @Override
    public void give(long bytes) {
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException(name + " refunded more than charged: used=" + after);
        }
    }

    String name() {
        return name;
    }

    long limit() {
        return limit;
    }

    long used() {
        return used.get();
    }

    long peak() {
        return peak;
    }

    long refusals() {
        return refusals.sum();
    }

    /** Seven eighths spent: time for the heaviest holders to give some back. */
    boolean overHighMark() {
        return used.get() > limit - limit / 8;
    }

    /** Under three quarters: connections held back for this budget may go on. */
    boolean underLowMark() {
        return used.get() < limit - limit / 4;
    }

    /** What must be given back to come down to the low mark. */
    long excess() {
        return Math.max(0, used.get() - (limit - limit / 4));
    }
}
