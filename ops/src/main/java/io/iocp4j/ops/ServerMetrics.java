package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;

/** The series of /metrics, named per Prometheus conventions under the prefix {@code iocp4j_}. */
final class ServerMetrics {
    private ServerMetrics() {
    }

    static String render(ServerSample sample) {
        ServerStats stats = sample.stats();
        PrometheusText out = new PrometheusText()
                .gauge("iocp4j_connections_open", "Connections open now, or closing and awaiting their last "
                        + "completion.", stats.connectionsNow())
                .gauge("iocp4j_connections_peak", "The most connections open at once since the start.",
                        stats.connectionsPeak())
                .counter("iocp4j_connections_accepted_total", "Connections admitted.", stats.accepted());
        out.family("iocp4j_connections_rejected_total", "counter", "Connections turned away as they were "
                + "accepted, by reason.");
        for (RejectReason reason : RejectReason.values()) {
            out.sample("iocp4j_connections_rejected_total", "reason", reason.name(), stats.rejected(reason));
        }
        out.family("iocp4j_connections_closed_total", "counter", "Connections ended, by the reason they ended for.");
        for (CloseReason reason : CloseReason.values()) {
            out.sample("iocp4j_connections_closed_total", "reason", reason.name(), stats.closed(reason));
        }
        out.counter("iocp4j_bytes_received_total", "Bytes received.", stats.bytesIn())
                .counter("iocp4j_bytes_sent_total", "Bytes sent.", stats.bytesOut())
                .counter("iocp4j_packets_received_total", "Packets handed to handlers.", stats.packetsIn())
                .counter("iocp4j_packets_sent_total", "Packets (or raw sends) written out whole.", stats.packetsOut());
        out.family("iocp4j_io_thread_load", "gauge", "Each I/O thread's measured load: bytes in and out per second, "
                + "each packet counted as 1 KiB more, as a decaying average.");
        for (PortStats port : stats.ports()) {
            out.sample("iocp4j_io_thread_load", "port", Integer.toString(port.port()), port.load());
        }
        out.family("iocp4j_io_thread_connections", "gauge", "Connections on each I/O thread.");
        for (PortStats port : stats.ports()) {
            out.sample("iocp4j_io_thread_connections", "port", Integer.toString(port.port()), port.connections());
        }
        return out.counter("iocp4j_migrations_total", "Open connections moved from one I/O thread to another.",
                        stats.migrations())
                .gauge("iocp4j_receive_buffers_held", "Receive buffers lent out with bytes or waiting in reads.",
                        sample.receiveBuffersHeld())
                .gauge("iocp4j_buffer_leases_outstanding", "Buffer leases not returned to the pool yet.",
                        sample.leasesOutstanding())
                .gauge("iocp4j_job_queue_depth", "Packets waiting for or running on a worker.", sample.jobsQueued())
                .gauge("iocp4j_job_queue_capacity", "The most packets that may wait or run on workers at once.",
                        sample.jobCapacity())
                .gauge("iocp4j_job_workers", "Worker threads; 0 when handlers run on the I/O threads.",
                        sample.workers())
                .counter("iocp4j_stale_completions_total", "Completions that arrived for a connection already gone, "
                        + "ignored.", stats.staleCompletions())
                .counter("iocp4j_handler_errors_total", "Handler calls that threw.", sample.handlerErrors())
                .gauge("iocp4j_file_transfers_active", "File transfers under way.", sample.fileTransfers().size())
                .gauge("iocp4j_shutting_down", "1 once a shutdown has begun, else 0.", sample.shuttingDown() ? 1 : 0)
                .toString();
    }
}
