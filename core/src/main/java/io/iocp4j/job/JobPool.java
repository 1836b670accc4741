package io.iocp4j.job;

/**
 * The job pool of a server or client as its user sees it: worker threads that run handlers off the I/O threads
 * (the "logical workers" of the classic IOCP server), with a bounded number of jobs waiting.
 */
public interface JobPool {
    /** Worker threads the pool is meant to have; 0 when handlers run on the I/O threads. */
    int size();

    /**
     * Grows or shrinks the pool to {@code workers} threads while it runs. No job is lost or reordered: a worker
     * that leaves finishes the job it has first, and jobs wait in one queue whoever takes them.
     *
     * @throws IllegalArgumentException when {@code workers} is outside 1..{@link WorkerPool#MAX_WORKERS}
     * @throws IllegalStateException    when the pool has no workers to resize (handlers run on the I/O threads) or
     *                                  has shut down
     */
    void resize(int workers);

    /** Packets taken for handling and not yet handled; never more than {@link #capacity()}. */
    int queuedJobs();

    /** The most packets that may wait or run at once; connections stop reading while it is reached. */
    int capacity();

    /** Tasks the workers have run since the pool started. */
    long completedTasks();

    /** The pool of a server or client whose handlers run on the I/O threads. */
    static JobPool none() {
        return NoWorkers.INSTANCE;
    }
}
