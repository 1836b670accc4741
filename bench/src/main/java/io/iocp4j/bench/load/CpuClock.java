package io.iocp4j.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the generator (this process), of the server (another process, through /proc/PID/stat) and of the
 * whole machine (/proc/stat), so a result can say who was busy: the server, the generator, or someone else.
 */
public final class CpuClock {
    /** Clock ticks per second of /proc (USER_HZ); 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    record Sample(long nanoTime, long generatorNanos, long serverTicks, long machineBusyTicks, long softirqTicks) {
    }

    private final long serverPid;

    CpuClock(long serverPid) {
        this.serverPid = serverPid;
    }

    Sample sample() {
        long generator = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long server = serverPid > 0 ? processTicks(Path.of("/proc/" + serverPid + "/stat")) : 0;
        long[] machine = machineTicks();
        return new Sample(System.nanoTime(), generator, server, machine[0], machine[1]);
    }

    /** Percent of one CPU: [generator, server, others (machine busy minus both), softirq]. */
    static double[] percentages(Sample from, Sample to) {
        double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        double generator = (to.generatorNanos() - from.generatorNanos()) / 1e9 / seconds * 100;
        double server = (to.serverTicks() - from.serverTicks()) / TICKS / seconds * 100;
        double machine = (to.machineBusyTicks() - from.machineBusyTicks()) / TICKS / seconds * 100;
        double softirq = (to.softirqTicks() - from.softirqTicks()) / TICKS / seconds * 100;
        return new double[] {generator, server, Math.max(0, machine - generator - server), softirq};
    }

    /** utime + stime of a process, in ticks; 0 when it cannot be read. */
    static long processTicks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** [user + nice + system, softirq] of all CPUs, in ticks; zeros without /proc. */
    public static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            return new long[] {Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]),
                    Long.parseLong(cpu[7])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }
}
