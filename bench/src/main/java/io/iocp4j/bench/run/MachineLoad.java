package io.iocp4j.bench.run;

import io.iocp4j.bench.load.CpuClock;

/** How busy the whole machine is, from /proc/stat: user + nice + system time of all CPUs. */
final class MachineLoad {
    private MachineLoad() {
    }

    /** Percent of one CPU the machine spent busy over the next {@code millis}; 0 without /proc. */
    static double busyPercent(long millis) throws InterruptedException {
        long before = busyTicks();
        long start = System.nanoTime();
        Thread.sleep(millis);
        long after = busyTicks();
        double seconds = (System.nanoTime() - start) / 1e9;
        return (after - before) / 100.0 / seconds * 100;
    }

    private static long busyTicks() {
        return CpuClock.machineTicks()[0];
    }
}
