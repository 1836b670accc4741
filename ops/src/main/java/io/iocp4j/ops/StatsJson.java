package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import io.iocp4j.PortStats;
import io.iocp4j.RejectReason;
import io.iocp4j.ServerStats;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferInfo;

/** A {@link ServerSample} as the JSON object of /stats, which the dashboard's summary reads too. */
final class StatsJson {
    private StatsJson() {
    }

    static JsonWriter write(JsonWriter json, ServerSample sample) {
        ServerStats stats = sample.stats();
        json.beginObject()
                .member("transport", sample.transport())
                .member("shuttingDown", sample.shuttingDown())
                .member("connectionsOpen", stats.connectionsNow())
                .member("connectionsPeak", stats.connectionsPeak())
                .member("connectionsTotal", stats.connectionsTotal())
                .member("accepted", stats.accepted());
        json.name("rejected").beginObject();
        for (RejectReason reason : RejectReason.values()) {
            json.member(reason.name(), stats.rejected(reason));
        }
        json.endObject().name("closed").beginObject();
        for (CloseReason reason : CloseReason.values()) {
            json.member(reason.name(), stats.closed(reason));
        }
        json.endObject()
                .member("bytesReceived", stats.bytesIn())
                .member("bytesSent", stats.bytesOut())
                .member("packetsReceived", stats.packetsIn())
                .member("packetsSent", stats.packetsOut())
                .member("migrations", stats.migrations())
                .member("staleCompletions", stats.staleCompletions())
                .member("handlerErrors", sample.handlerErrors())
                .member("receiveBuffersHeld", sample.receiveBuffersHeld())
                .member("bufferLeasesOutstanding", sample.leasesOutstanding());
        json.name("jobs").beginObject()
                .member("workers", sample.workers())
                .member("queued", sample.jobsQueued())
                .member("capacity", sample.jobCapacity())
                .member("completed", sample.jobsCompleted())
                .endObject();
        json.name("ioThreads").beginArray();
        for (PortStats port : stats.ports()) {
            json.beginObject().member("port", port.port()).member("connections", port.connections())
                    .member("load", port.load()).endObject();
        }
        json.endArray().name("fileTransfers").beginArray();
        for (FileTransferInfo info : sample.fileTransfers()) {
            FileTransfer transfer = info.transfer();
            FileOffer offer = transfer.offer();
            json.beginObject()
                    .member("connection", info.connectionId())
                    .member("direction", info.incoming() ? "in" : "out")
                    .member("name", offer != null ? offer.name() : null)
                    .member("size", offer != null ? offer.size() : -1)
                    .member("done", transfer.offset() + transfer.transferred())
                    .member("hashed", transfer.hashed())
                    .member("hashTotal", transfer.hashTotal())
                    .endObject();
        }
        return json.endArray().endObject();
    }
}
