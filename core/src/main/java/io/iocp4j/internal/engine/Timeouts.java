package io.iocp4j.internal.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A server's idle, write-stall and frame timeouts, and how often each port sweeps its connections for them.
 *
 * @param idleNanos          nothing received and nothing sent for this long closes a connection; 0: never
 * @param writeStallNanos    queued bytes the peer accepts none of for this long close it; 0: never
 * @param frameNanos         a frame begun and not complete for this long closes it; 0: never
 * @param checkIntervalNanos how often each port looks; a timeout fires up to this much late
 * @param clock              the time in nanoseconds, read once per sweep (tests move it by hand)
 */
public record Timeouts(long idleNanos, long writeStallNanos, long frameNanos, long checkIntervalNanos,
                       LongSupplier clock) {
    public static final Timeouts NONE = new Timeouts(0, 0, 0, 0, System::nanoTime);
    /** A frame a peer has begun must be whole within this, by default. */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    private static final long MIN_INTERVAL = Duration.ofMillis(10).toNanos();
    private static final long MAX_INTERVAL = Duration.ofSeconds(1).toNanos();

    public Timeouts {
        if (idleNanos < 0 || writeStallNanos < 0 || frameNanos < 0 || checkIntervalNanos < 0) {
            throw new IllegalArgumentException("idleNanos=" + idleNanos + " writeStallNanos=" + writeStallNanos
                    + " frameNanos=" + frameNanos + " checkIntervalNanos=" + checkIntervalNanos);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock=null");
        }
    }

    /** Timeouts checked a quarter of the shortest one apart, at least 10 ms and at most 1 s; null or zero: never. */
    public static Timeouts of(Duration idle, Duration writeStall, Duration frame, LongSupplier clock) {
        long idleNanos = nanos(idle);
        long stallNanos = nanos(writeStall);
        long frameNanos = nanos(frame);
        long shortest = Math.min(Math.min(orMax(idleNanos), orMax(stallNanos)), orMax(frameNanos));
        long interval = Math.clamp(shortest / 4, MIN_INTERVAL, MAX_INTERVAL);
        return new Timeouts(idleNanos, stallNanos, frameNanos, interval, clock);
    }

    private static long nanos(Duration duration) {
        return duration == null ? 0 : duration.toNanos();
    }

    private static long orMax(long nanos) {
        return nanos == 0 ? Long.MAX_VALUE : nanos;
    }

    public Timeouts withCheckInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkInterval=" + interval + " (must be positive)");
        }
        return new Timeouts(idleNanos, writeStallNanos, frameNanos, interval.toNanos(), clock);
    }

    boolean any() {
        return idleNanos > 0 || writeStallNanos > 0 || frameNanos > 0;
    }
}
