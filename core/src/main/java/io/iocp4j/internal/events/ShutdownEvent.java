package io.iocp4j.internal.events;

import io.iocp4j.ShutdownReport;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A server or client shut down: what its {@link ShutdownReport} says. */
@Name("io.iocp4j.Shutdown")
@Label("Shutdown")
@Category({"iocp4j"})
@StackTrace(false)
public final class ShutdownEvent extends Event {
    @Label("Name")
    String engine;

    @Label("Connections Closed")
    int connectionsClosed;

    @Label("Closed At Deadline")
    int closedAtDeadline;

    @Label("Bytes Flushed")
    @DataAmount
    long bytesFlushed;

    @Label("Sends Dropped")
    long sendsDropped;

    @Label("Leases Outstanding")
    long leasesOutstanding;

    @Label("Stale Completions")
    long staleCompletions;

    @Label("Took")
    @Timespan
    long took;

    public static void emit(String engine, ShutdownReport report) {
        ShutdownEvent event = new ShutdownEvent();
        if (event.shouldCommit()) {
            event.engine = engine;
            event.connectionsClosed = report.connectionsClosed();
            event.closedAtDeadline = report.closedAtDeadline();
            event.bytesFlushed = report.bytesFlushed();
            event.sendsDropped = report.sendsDropped();
            event.leasesOutstanding = report.leasesOutstanding();
            event.staleCompletions = report.staleCompletions();
            event.took = report.took().toNanos();
            event.commit();
        }
    }
}
