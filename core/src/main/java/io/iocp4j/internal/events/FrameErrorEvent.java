package io.iocp4j.internal.events;

import io.iocp4j.frame.FrameError;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A peer broke the framing: the stream of that connection cannot be decoded further. */
@Name("io.iocp4j.FrameError")
@Label("Frame Error")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class FrameErrorEvent extends Event {
    @Label("Connection Id")
    long connectionId;

    @Label("Error")
    String error;

    public static void emit(long connectionId, FrameError error) {
        FrameErrorEvent event = new FrameErrorEvent();
        if (event.shouldCommit()) {
            event.connectionId = connectionId;
            event.error = String.valueOf(error);
            event.commit();
        }
    }
}
