package io.iocp4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A handler call threw; its connection is closed. */
@Name("io.iocp4j.HandlerFailed")
@Label("Handler Failed")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class HandlerFailedEvent extends Event {
    @Label("Connection Id")
    long connectionId;

    @Label("Exception")
    String exception;

    @Label("Message")
    String message;

    public static void emit(long connectionId, Throwable error) {
        HandlerFailedEvent event = new HandlerFailedEvent();
        if (event.shouldCommit()) {
            event.connectionId = connectionId;
            event.exception = error.getClass().getName();
            event.message = error.getMessage();
            event.commit();
        }
    }
}
