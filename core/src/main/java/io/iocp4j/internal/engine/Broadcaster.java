package io.iocp4j.internal.engine;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.connection.RealConnection;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One packet to many connections: encoded once per framing in use (once, on a server with one port), and every
 * recipient's send queue holds a reference to that same buffer, which goes back to the pool when the last
 * recipient has written it or dropped it. Each recipient's own cap applies: one that cannot keep up is closed as a
 * slow consumer and holds up nobody else.
 */
final class Broadcaster {
    private Broadcaster() {
    }

    /** Queues {@code packet} for every open connection of {@code recipients}; returns how many took it. */
    static int broadcast(Collection<RealConnection> recipients, BufferPool pool, ByteBuffer packet) {
        Map<Framing, IoBuffer> encoded = new IdentityHashMap<>(4);
        int queued = 0;
        try {
            for (RealConnection connection : recipients) {
                if (!connection.isOpen()) {
                    continue;
                }
                Framing framing = connection.framing();
                IoBuffer frame = encoded.get(framing);
                if (frame == null) {
                    frame = framing.encode(pool, packet);
                    encoded.put(framing, frame);
                }
                // The recipient takes over this reference: released once written, or at once if refused.
                if (connection.sendEncoded(frame.retain())) {
                    queued++;
                }
            }
        } finally {
            for (IoBuffer frame : encoded.values()) {
                frame.release();
            }
        }
        return queued;
    }
}
