package io.iocp4j.spi;

/** A task waiting on a port's timer. */
public interface ScheduledTask {
    /** Stops the task from running if it has not run yet; true when this call stopped it. Any thread. */
    boolean cancel();
}
