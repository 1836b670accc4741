package io.iocp4j.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection's queue of reply bytes passed its cap, so it is closed as a slow consumer. */
@Name("io.iocp4j.SlowConsumer")
@Label("Slow Consumer")
@Category({"iocp4j", "Connections"})
@StackTrace(false)
public final class SlowConsumerEvent extends Event {
    @Label("Connection Id")
    long connectionId;

    @Label("Queued Bytes")
    @DataAmount
    long queuedBytes;

    @Label("Cap")
    @DataAmount
    long maxQueuedBytes;

    public static void emit(long connectionId, long queuedBytes, long maxQueuedBytes) {
        SlowConsumerEvent event = new SlowConsumerEvent();
        if (event.shouldCommit()) {
            event.connectionId = connectionId;
            event.queuedBytes = queuedBytes;
            event.maxQueuedBytes = maxQueuedBytes;
            event.commit();
        }
    }
}
