package io.iocp4j.internal.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run what a stage must not run on an I/O thread (a TLS handshake's delegated work). Made at the
 * first such task, a few daemon threads that end when idle: most servers never need one.
 */
final class BlockingTasks implements Executor {
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final String name;
    private final AtomicInteger threadCount = new AtomicInteger();
    private volatile ThreadPoolExecutor executor;

    BlockingTasks(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        ThreadPoolExecutor current = executor;
        if (current == null) {
            current = start();
        }
        current.execute(task);
    }

    private synchronized ThreadPoolExecutor start() {
        if (executor == null) {
            ThreadPoolExecutor made = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, name + "-blocking-" + threadCount.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            made.allowCoreThreadTimeOut(true);
            executor = made;
        }
        return executor;
    }

    /** Lets the threads end once their tasks have run. */
    synchronized void shutdown() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
