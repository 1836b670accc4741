package io.iocp4j.micrometer;

import io.iocp4j.CloseReason;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.Server;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Binds a server's series to a Micrometer registry, named so that a Prometheus registry exposes them under the same
 * names as iocp4j-ops' /metrics ({@code iocp4j.connections.accepted} becomes
 * {@code iocp4j_connections_accepted_total}).
 *
 * <pre>{@code
 * new ServerMetricsBinder(server, Tags.of("listener", "game")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters read the server when the registry asks. The server's counters come from one snapshot shared by
 * every meter of a scrape ({@link StatsSnapshot}), so one scrape does not walk the connections once per meter.
 */
public final class ServerMetricsBinder implements MeterBinder {
    private final Server server;
    private final Iterable<Tag> tags;
    private final StatsSnapshot stats;

    public ServerMetricsBinder(Server server) {
        this(server, Tags.empty());
    }

    /** {@code tags} go on every meter, to tell several servers of one process apart. */
    public ServerMetricsBinder(Server server, Iterable<Tag> tags) {
        this.server = server;
        this.tags = tags;
        this.stats = new StatsSnapshot(server);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "iocp4j.connections.open", "Connections open now, or closing and awaiting their last "
                + "completion", Tags.empty(), s -> s.get().connectionsNow());
        gauge(registry, "iocp4j.connections.peak", "The most connections open at once since the start",
                Tags.empty(), s -> s.get().connectionsPeak());
        counter(registry, "iocp4j.connections.accepted", "Connections admitted", Tags.empty(),
                s -> s.get().accepted());
        for (RejectReason reason : RejectReason.values()) {
            counter(registry, "iocp4j.connections.rejected", "Connections turned away as they were accepted, "
                    + "by reason", Tags.of("reason", reason.name()), s -> s.get().rejected(reason));
        }
        for (CloseReason reason : CloseReason.values()) {
            counter(registry, "iocp4j.connections.closed", "Connections ended, by the reason they ended for",
                    Tags.of("reason", reason.name()), s -> s.get().closed(reason));
        }
        counter(registry, "iocp4j.bytes.received", "Bytes received", Tags.empty(), s -> s.get().bytesIn());
        counter(registry, "iocp4j.bytes.sent", "Bytes sent", Tags.empty(), s -> s.get().bytesOut());
        counter(registry, "iocp4j.packets.received", "Packets handed to handlers", Tags.empty(),
                s -> s.get().packetsIn());
        counter(registry, "iocp4j.packets.sent", "Packets (or raw sends) written out whole", Tags.empty(),
                s -> s.get().packetsOut());
        for (int port = 0; port < server.ioThreads(); port++) {
            int index = port;
            Tags portTag = Tags.of("port", Integer.toString(port));
            gauge(registry, "iocp4j.io.thread.load", "Each I/O thread's measured load: bytes in and out per second, "
                    + "each packet counted as 1 KiB more", portTag, s -> port(s, index).load());
            gauge(registry, "iocp4j.io.thread.connections", "Connections on each I/O thread", portTag,
                    s -> port(s, index).connections());
        }
        counter(registry, "iocp4j.migrations", "Open connections moved from one I/O thread to another",
                Tags.empty(), s -> s.get().migrations());
        counter(registry, "iocp4j.stale.completions", "Completions that arrived for a connection already gone",
                Tags.empty(), s -> s.get().staleCompletions());
        gauge(registry, "iocp4j.receive.buffers.held", "Receive buffers lent out with bytes or waiting in reads",
                Tags.empty(), s -> server.receiveBuffersHeld());
        gauge(registry, "iocp4j.buffer.leases.outstanding", "Buffer leases not returned to the pool yet",
                Tags.empty(), s -> server.bufferPool().leasesOutstanding());
        gauge(registry, "iocp4j.job.queue.depth", "Packets waiting for or running on a worker", Tags.empty(),
                s -> server.jobs().queuedJobs());
        gauge(registry, "iocp4j.job.queue.capacity", "The most packets that may wait or run on workers at once",
                Tags.empty(), s -> server.jobs().capacity());
        gauge(registry, "iocp4j.job.workers", "Worker threads; 0 when handlers run on the I/O threads",
                Tags.empty(), s -> server.jobs().size());
        counter(registry, "iocp4j.handler.errors", "Handler calls that threw", Tags.empty(),
                s -> server.handlerErrors());
        gauge(registry, "iocp4j.file.transfers.active", "File transfers under way", Tags.empty(),
                s -> server.fileTransfers().size());
        gauge(registry, "iocp4j.shutting.down", "1 once a shutdown has begun, else 0", Tags.empty(),
                s -> server.isShuttingDown() ? 1 : 0);
    }

    private void gauge(MeterRegistry registry, String name, String help, Tags extra,
                       ToDoubleFunction<StatsSnapshot> value) {
        Gauge.builder(name, stats, value).description(help).tags(tags).tags(extra).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String help, Tags extra,
                         ToDoubleFunction<StatsSnapshot> value) {
        FunctionCounter.builder(name, stats, value).description(help).tags(tags).tags(extra).register(registry);
    }

    private static PortStats port(StatsSnapshot snapshot, int index) {
        List<PortStats> ports = snapshot.get().ports();
        return index < ports.size() ? ports.get(index) : new PortStats(index, 0, 0);
    }
}
