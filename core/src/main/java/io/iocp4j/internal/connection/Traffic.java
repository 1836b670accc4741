package io.iocp4j.internal.connection;

import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's totals over all its connections: bytes both ways, queued frames dropped unsent, handler failures.
 * Added to on the port threads as the bytes move (a striped addition, no contention), read for statistics.
 */
public final class Traffic {
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder sendsDropped = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();

    void received(int bytes) {
        bytesReceived.add(bytes);
    }

    void sent(int bytes) {
        bytesSent.add(bytes);
    }

    void dropped(int frames) {
        sendsDropped.add(frames);
    }

    void handlerFailed() {
        handlerErrors.increment();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Queued frames dropped unsent because their connection closed, over the whole run. */
    public long sendsDropped() {
        return sendsDropped.sum();
    }

    public long handlerErrors() {
        return handlerErrors.sum();
    }
}
