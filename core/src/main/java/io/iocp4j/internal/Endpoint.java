package io.iocp4j.internal;

import io.iocp4j.Handler;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.StageFactory;

import java.net.InetAddress;
import java.util.List;

/**
 * What the connections of one listener (or of a client) share: their byte stages, how they are framed and who
 * handles them.
 */
public record Endpoint(Framing framing, List<StageFactory> stages, Handler handler) {
    public Endpoint {
        if (framing == null || handler == null) {
            throw new IllegalArgumentException("framing=" + framing + " handler=" + handler);
        }
        stages = List.copyOf(stages);
    }

    public Endpoint(Framing framing, Handler handler) {
        this(framing, List.of(), handler);
    }

    /** Whether a stage will name the real peer of connections from {@code peer} (a trusted load balancer). */
    boolean peerNamedLater(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        for (StageFactory stage : stages) {
            if (stage.namesThePeerOf(peer)) {
                return true;
            }
        }
        return false;
    }
}
