package io.iocp4j.internal.connection;

import io.iocp4j.job.Ordering;
import io.iocp4j.job.WorkerPool;

/**
 * How a server's or client's connections hand packets to handlers and how much they may hold: the job pool and
 * its ordering, the read back-pressure thresholds, and the send queue's watermarks.
 *
 * @param workers         job pool threads; 0 runs handlers on the I/O threads
 * @param ordering        how one connection's packets are ordered on the pool
 * @param jobCapacity     packets the pool holds at most, over all connections
 * @param maxPendingJobs  packets one connection may have waiting or running before its reading pauses
 * @param lowWatermark    queued reply bytes under which a connection is writable again
 * @param highWatermark   queued reply bytes over which a connection is not writable and its reading pauses
 * @param maxQueuedBytes  queued reply bytes over which the connection is closed as a slow consumer
 * @param pauseReading    whether a connection that is not writable stops reading until it is. A server does, so a
 *                        peer that sends without reading cannot make it hold unbounded replies; a client does not by
 *                        default, since if both ends of a connection paused, each would wait for the other to read
 */
public record FlowSettings(int workers, Ordering ordering, int jobCapacity, int maxPendingJobs, long lowWatermark,
                           long highWatermark, long maxQueuedBytes, boolean pauseReading) {
    public static final FlowSettings DEFAULTS = new FlowSettings(0, Ordering.PER_CONNECTION, 8192, 64, 256 << 10,
            1 << 20, 128L << 20, true);

    public FlowSettings {
        if (workers < 0 || workers > WorkerPool.MAX_WORKERS) {
            throw new IllegalArgumentException("workers=" + workers + " (must be 0 to " + WorkerPool.MAX_WORKERS + ")");
        }
        if (ordering == null) {
            throw new IllegalArgumentException("ordering=null");
        }
        if (jobCapacity < 1 || maxPendingJobs < 1 || maxPendingJobs > 1 << 20) {
            throw new IllegalArgumentException("jobCapacity=" + jobCapacity + " maxPendingJobs=" + maxPendingJobs);
        }
        if (lowWatermark < 0 || highWatermark < 1 || lowWatermark > highWatermark) {
            throw new IllegalArgumentException("lowWatermark=" + lowWatermark + " highWatermark=" + highWatermark);
        }
        // A cap below the high watermark is allowed: such a connection is closed before it would stop reading.
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes=" + maxQueuedBytes);
        }
    }

    public FlowSettings withWorkers(int workers) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }

    public FlowSettings withOrdering(Ordering ordering) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }

    public FlowSettings withJobLimits(int jobCapacity, int maxPendingJobs) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }

    public FlowSettings withWatermarks(long lowWatermark, long highWatermark) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }

    public FlowSettings withPauseReading(boolean pauseReading) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }

    public FlowSettings withMaxQueuedBytes(long maxQueuedBytes) {
        return new FlowSettings(workers, ordering, jobCapacity, maxPendingJobs, lowWatermark, highWatermark,
                maxQueuedBytes, pauseReading);
    }
}
