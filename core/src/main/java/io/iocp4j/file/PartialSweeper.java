package io.iocp4j.file;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Expires the partial files of stores that see no offers: one daemon thread for the process, waking each store's
 * sweep now and then. A sweep holds its store weakly, so a store nobody uses any more is collected and its sweep
 * ends; stores need no close.
 */
final class PartialSweeper {
    private static final System.Logger LOG = System.getLogger(PartialSweeper.class.getName());
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private PartialSweeper() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name("iocp4j-partial-sweeper").unstarted(task));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Sweeps {@code uploads} every {@code interval} until it is collected. */
    static void every(Duration interval, PartialUploads uploads) {
        Sweep sweep = new Sweep(new WeakReference<>(uploads));
        long nanos = interval.toNanos();
        sweep.self = TIMER.scheduleWithFixedDelay(sweep, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private static final class Sweep implements Runnable {
        private final WeakReference<PartialUploads> uploads;
        volatile ScheduledFuture<?> self;

        Sweep(WeakReference<PartialUploads> uploads) {
            this.uploads = uploads;
        }

        @Override
        public void run() {
            PartialUploads target = uploads.get();
            if (target == null) {
                ScheduledFuture<?> future = self;
                if (future != null) {
                    future.cancel(false);
                }
                return;
            }
            try {
                target.expire();
            } catch (RuntimeException e) {
                // An exception would end the periodic task: report it and sweep again next time.
                LOG.log(System.Logger.Level.WARNING, "partial upload sweep failed", e);
            }
        }
    }
}
