package io.iocp4j.cli;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnect attempts: exponential, capped, with full jitter (a random delay between zero and the
 * exponential bound), so that peers dropped together do not come back together. Not thread-safe: one per peer.
 */
final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private int attempts;

    Backoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("base=" + base + " max=" + max);
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The delay before the next attempt; each call doubles the bound, up to the maximum. */
    long nextDelayNanos() {
        long bound = attempts >= 62 ? maxNanos : Math.min(maxNanos, baseNanos << Math.min(attempts, 40));
        if (bound <= 0 || bound > maxNanos) {
            bound = maxNanos;
        }
        attempts++;
        return ThreadLocalRandom.current().nextLong(bound + 1);
    }

    /** A connection worked: the next failure starts from the base again. */
    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
