package io.iocp4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

import java.net.InetSocketAddress;

/** A connection was accepted and admitted, or connected. */
@Name("io.iocp4j.ConnectionOpened")
@Label("Connection Opened")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class ConnectionOpenedEvent extends Event {
    @Label("Connection Id")
    long connectionId;

    @Label("Peer")
    String peer;

    @Label("I/O Thread")
    @Description("The completion port the connection started on")
    int ioThread;

    /** One line at the site; builds nothing unless a recording takes this event. */
    public static void emit(long connectionId, InetSocketAddress peer, int ioThread) {
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.shouldCommit()) {
            event.connectionId = connectionId;
            event.peer = String.valueOf(peer);
            event.ioThread = ioThread;
            event.commit();
        }
    }
}
