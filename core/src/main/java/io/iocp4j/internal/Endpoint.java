package io.iocp4j.internal;

import io.iocp4j.Handler;
import io.iocp4j.frame.Framing;

/** What the connections of one listener (or of a client) share: how they are framed and who handles them. */
public record Endpoint(Framing framing, Handler handler) {
    public Endpoint {
        if (framing == null || handler == null) {
            throw new IllegalArgumentException("framing=" + framing + " handler=" + handler);
        }
    }
}
