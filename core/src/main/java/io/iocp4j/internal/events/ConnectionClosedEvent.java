package io.iocp4j.internal.events;

import io.iocp4j.CloseReason;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import java.net.InetSocketAddress;

/** A connection was released: its last completion arrived and its handler heard {@code onDisconnect}. */
@Name("io.iocp4j.ConnectionClosed")
@Label("Connection Closed")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class ConnectionClosedEvent extends Event {
    @Label("Connection Id")
    long connectionId;

    @Label("Peer")
    String peer;

    @Label("Reason")
    String reason;

    @Label("Bytes Received")
    @DataAmount
    long bytesIn;

    @Label("Bytes Sent")
    @DataAmount
    long bytesOut;

    @Label("Lifetime")
    @Timespan
    long lifetime;

    /** {@code startNanos}: {@link System#nanoTime()} when the connection was made. */
    public static void emit(long connectionId, InetSocketAddress peer, CloseReason reason, long bytesIn,
                            long bytesOut, long startNanos) {
        ConnectionClosedEvent event = new ConnectionClosedEvent();
        if (event.shouldCommit()) {
            event.connectionId = connectionId;
            event.peer = String.valueOf(peer);
            event.reason = String.valueOf(reason);
            event.bytesIn = bytesIn;
            event.bytesOut = bytesOut;
            event.lifetime = System.nanoTime() - startNanos;
            event.commit();
        }
    }
}
