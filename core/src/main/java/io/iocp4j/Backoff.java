package io.iocp4j;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between attempts that grow exponentially up to a cap, each spread at random so that many peers cut off
 * together do not come back together. Not thread-safe: one instance per thing being retried.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
 * Duration wait = backoff.next();   // ~100 ms, then ~200 ms, ~400 ms, ... never over 30 s
 * backoff.reset();                  // after a success
 * }</pre>
 */
public final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final double jitter;
    private final RandomGenerator random;
    private long currentNanos;
    private int attempts;

    /**
     * @param initial    the first delay, before jitter
     * @param max        no delay is longer than this, jitter included
     * @param multiplier how much each delay grows on the one before (at least 1)
     * @param jitter     the fraction of each delay drawn at random, 0 (none) to 1 (anywhere from 0 to the delay)
     * @param random     the source of jitter, seeded by tests that want the same delays each run
     */
    public Backoff(Duration initial, Duration max, double multiplier, double jitter, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial=" + initial + " (must be positive)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max=" + max + " is shorter than initial=" + initial);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier=" + multiplier + " (must be at least 1)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter=" + jitter + " (must be 0 to 1)");
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = random;
        this.currentNanos = initialNanos;
    }

    /** Doubling from {@code initial} to {@code max}, each delay drawn from its upper half. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 0.5, RandomGenerator.getDefault());
    }

    /**
     * Doubling bounds from {@code initial} to {@code max}, each delay drawn anywhere from zero to its bound ("full
     * jitter"): peers dropped together spread out the most.
     */
    public static Backoff fullJitter(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 1.0, RandomGenerator.getDefault());
    }

    /** The delay before the next attempt; each call moves on to the next step. */
    public Duration next() {
        long base = currentNanos;
        currentNanos = (long) Math.min(maxNanos, base * multiplier);
        attempts++;
        long spread = (long) (base * jitter);
        long delay = base - spread + (spread > 0 ? random.nextLong(spread + 1) : 0);
        return Duration.ofNanos(Math.min(maxNanos, delay));
    }

    /** Delays asked for since the start or the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    /** Back to the first delay, after an attempt succeeded. */
    public void reset() {
        currentNanos = initialNanos;
        attempts = 0;
    }
}
