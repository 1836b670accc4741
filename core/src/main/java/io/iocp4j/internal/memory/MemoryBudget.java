package io.iocp4j.internal.memory;

import io.iocp4j.buffer.Accumulator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cap on one kind of memory all of an engine's connections hold together: partial frames, or send queues. A
 * charge that would pass the cap is refused, so the sum never exceeds it. Past the {@linkplain #overHighMark()
 * high mark} (seven eighths) the engine's budget warden, woken at once, makes the connections holding the most give
 * memory back; the last sixteenth is kept in reserve for light holders, so that a spent budget is paid for by
 * those who spent it, not by a connection holding little.
 *
 * <p>Thread-safe: charged and refunded from any thread.
 */
public final class MemoryBudget implements Accumulator.Allowance {
    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder refusals = new LongAdder();
    private volatile long peak;
    private final long highMark;
    /** Above this, only light holders are charged: the last sixteenth. */
    private final long reserveMark;
    /** What a holder may hold at most and still draw on the reserve. */
    private final long lightHolding;
    /** Told, on the charging thread, when a charge takes the budget past its high mark; must be quick. */
    private volatile Runnable pastHighMark = () -> { };

    public MemoryBudget(String name, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(name + "=" + limit + " (must be at least 1 byte)");
        }
        this.name = name;
        this.limit = limit;
        this.highMark = limit - limit / 8;
        this.reserveMark = limit - limit / 16;
        this.lightHolding = Math.max(64 << 10, limit / 1024);
    }

    public void whenPastHighMark(Runnable action) {
        this.pastHighMark = action;
    }

    @Override
    public boolean take(long bytes, long held) {
        for (;;) {
            long before = used.get();
            long after = before + bytes;
            if (after > limit || (after > reserveMark && held + bytes > lightHolding)) {
                refusals.increment();
                pastHighMark.run();
                return false;
            }
            if (used.compareAndSet(before, after)) {
                if (after > peak) {
                    // A racy maximum: statistics only.
                    peak = after;
                }
                if (after > highMark && before <= highMark) {
                    pastHighMark.run();
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

    public String name() {
        return name;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    public long peak() {
        return peak;
    }

    public long refusals() {
        return refusals.sum();
    }

    /** Seven eighths spent: time for the heaviest holders to give some back. */
    public boolean overHighMark() {
        return used.get() > highMark;
    }

    /** Under three quarters: connections held back for this budget may go on. */
    public boolean underLowMark() {
        return used.get() < limit - limit / 4;
    }

    /** What must be given back to come down to the low mark. */
    public long excess() {
        return Math.max(0, used.get() - (limit - limit / 4));
    }
}
