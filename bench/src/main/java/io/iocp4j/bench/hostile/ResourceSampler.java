package io.iocp4j.bench.hostile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a process's resident memory and open descriptors every {@link #PERIOD_MILLIS} on a thread of its own, and
 * keeps the highest of each since the last {@link #resetPeaks()}: the peak of an attack is whatever the server held
 * at its worst moment, which a reading at the end would miss.
 */
final class ResourceSampler implements AutoCloseable {
    static final long PERIOD_MILLIS = 100;
    /** Samples at most this long, so that a forgotten sampler ends by itself. */
    private static final long LONGEST_RUN_MILLIS = TimeUnit.MINUTES.toMillis(30);

    /** One reading; {@link ProcStatus#UNKNOWN} in a field that could not be read. */
    record Reading(long residentBytes, long descriptors) {
    }

    private final long pid;
    private final AtomicLong peakResident = new AtomicLong(ProcStatus.UNKNOWN);
    private final AtomicLong peakDescriptors = new AtomicLong(ProcStatus.UNKNOWN);
    private final Thread thread;
    private volatile boolean stopped;

    ResourceSampler(long pid) {
        this.pid = pid;
        this.thread = Thread.ofPlatform().daemon().name("sampler-" + pid).start(this::sampleUntilStopped);
    }

    /** Reads now, and counts the reading toward the peaks. */
    Reading read() {
        Reading reading = new Reading(ProcStatus.residentBytes(pid), ProcStatus.openDescriptors(pid));
        peakResident.accumulateAndGet(reading.residentBytes(), Math::max);
        peakDescriptors.accumulateAndGet(reading.descriptors(), Math::max);
        return reading;
    }

    void resetPeaks() {
        peakResident.set(ProcStatus.UNKNOWN);
        peakDescriptors.set(ProcStatus.UNKNOWN);
    }

    Reading peaks() {
        return new Reading(peakResident.get(), peakDescriptors.get());
    }

    private void sampleUntilStopped() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONGEST_RUN_MILLIS);
        while (!stopped && System.nanoTime() < end) {
            read();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(1000);
    }
}
