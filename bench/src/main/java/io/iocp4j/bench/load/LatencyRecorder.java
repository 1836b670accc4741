package io.iocp4j.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Round-trip times in two histograms: as measured, and corrected for coordinated omission. A closed-loop generator
 * sends the next message only when the last came back, so a stall (of the server, or of the generator itself) delays
 * the messages that would have been sent meanwhile, and they are never measured. The corrected histogram adds them
 * back, as HdrHistogram does, assuming sends on a connection were due every {@code expectedIntervalNanos}: a
 * round trip of 10 intervals also records 9, 8, ... 1 intervals' worth of the messages it held back.
 */
public final class LatencyRecorder {
    private static final long HIGHEST = 60_000_000_000L;

    private final Histogram measured = new Histogram(HIGHEST, 3);
    private final Histogram corrected = new Histogram(HIGHEST, 3);
    private long expectedIntervalNanos;

    /** @param expectedIntervalNanos the expected time between sends on one connection; 0 turns correction off */
    public LatencyRecorder(long expectedIntervalNanos) {
        setExpectedInterval(expectedIntervalNanos);
    }

    public void setExpectedInterval(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("expected interval must not be negative: " + nanos);
        }
        expectedIntervalNanos = nanos;
    }

    public long expectedIntervalNanos() {
        return expectedIntervalNanos;
    }

    public void record(long nanos) {
        long value = Math.min(Math.max(nanos, 1), HIGHEST);
        measured.recordValue(value);
        if (expectedIntervalNanos > 0) {
            corrected.recordValueWithExpectedInterval(value, expectedIntervalNanos);
        } else {
            corrected.recordValue(value);
        }
    }

    public void reset() {
        measured.reset();
        corrected.reset();
    }

    public long count() {
        return measured.getTotalCount();
    }

    /** A percentile (0..100) of the measured round trips, in nanoseconds. */
    public long measured(double percentile) {
        return measured.getValueAtPercentile(percentile);
    }

    /** A percentile (0..100) after correction for coordinated omission, in nanoseconds. */
    public long corrected(double percentile) {
        return corrected.getValueAtPercentile(percentile);
    }

    public long correctedCount() {
        return corrected.getTotalCount();
    }
}
