package io.iocp4j.internal.events;

import io.iocp4j.RejectReason;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

import java.net.InetSocketAddress;

/** A socket was turned away as it was accepted: banned, filtered, over a limit, or no slot free. */
@Name("io.iocp4j.ConnectionRejected")
@Label("Connection Rejected")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class ConnectionRejectedEvent extends Event {
    @Label("Peer")
    String peer;

    @Label("Reason")
    String reason;

    public static void emit(InetSocketAddress peer, RejectReason reason) {
        ConnectionRejectedEvent event = new ConnectionRejectedEvent();
        if (event.shouldCommit()) {
            event.peer = String.valueOf(peer);
            event.reason = String.valueOf(reason);
            event.commit();
        }
    }
}
