package io.iocp4j.job;

/** What {@link JobPool#none()} returns: handlers run on the I/O threads, so there is nothing to size. */
final class NoWorkers implements JobPool {
    static final NoWorkers INSTANCE = new NoWorkers();

    private NoWorkers() {
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public void resize(int workers) {
        throw new IllegalStateException("handlers run on the I/O threads (workers(0)); there is no pool to resize");
    }

    @Override
    public int queuedJobs() {
        return 0;
    }

    @Override
    public int capacity() {
        return 0;
    }

    @Override
    public long completedTasks() {
        return 0;
    }
}
