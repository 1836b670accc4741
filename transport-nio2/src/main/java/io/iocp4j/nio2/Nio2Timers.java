package io.iocp4j.nio2;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one timer thread of the NIO.2 transport. NIO.2 has no timer of its own, so a due task is posted to its port,
 * where it runs; this thread never runs user code.
 */
final class Nio2Timers {
    static final ScheduledExecutorService SCHEDULER = create();

    private Nio2Timers() {
    }

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "iocp4j-nio2-timer");
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled idle timers are dropped at once instead of waiting out their delay in the queue.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
