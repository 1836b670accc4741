package io.iocp4j.ops;

import io.iocp4j.Server;
import io.iocp4j.ServerStats;
import io.iocp4j.file.FileTransferInfo;
import io.iocp4j.job.JobPool;

import java.util.List;

/**
 * What a server shows at one moment, read in one pass so that /metrics, /stats and the dashboard agree: its
 * counters, the buffers it holds, its job pool and whether it is shutting down.
 *
 * @param stats              the server's counters
 * @param receiveBuffersHeld receive buffers lent out with bytes or waiting in reads
 * @param leasesOutstanding  buffer leases of the server's pool not returned yet
 * @param workers            job pool threads; 0 when handlers run on the I/O threads
 * @param jobsQueued         packets waiting for or running on a worker
 * @param jobCapacity        the most packets that may wait or run at once
 * @param jobsCompleted      tasks the workers have run
 * @param handlerErrors      handler calls that threw
 * @param shuttingDown       true once a shutdown has begun
 * @param transport          {@code uring} or {@code nio2}
 * @param fileTransfers      file transfers under way
 */
record ServerSample(ServerStats stats, int receiveBuffersHeld, long leasesOutstanding, int workers, int jobsQueued,
                    int jobCapacity, long jobsCompleted, long handlerErrors, boolean shuttingDown, String transport,
                    List<FileTransferInfo> fileTransfers) {

    static ServerSample of(Server server) {
        JobPool jobs = server.jobs();
        return new ServerSample(server.stats(), server.receiveBuffersHeld(),
                server.bufferPool().leasesOutstanding(), jobs.size(), jobs.queuedJobs(), jobs.capacity(),
                jobs.completedTasks(), server.handlerErrors(), server.isShuttingDown(), server.transport(),
                server.fileTransfers());
    }
}
