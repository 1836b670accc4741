package io.iocp4j.spi;

import io.iocp4j.buffer.BufferPool;

import java.util.function.Consumer;

/**
 * What a completion port is given when it opens.
 *
 * @param threadName the name of the port's I/O thread
 * @param pool       where receive buffers are leased from
 * @param sink       where every socket completion of this port is delivered, on the port thread
 * @param failed     told, on the port thread as it ends, of an error that stops the port for good: its owner must
 *                   not go on accepting connections that nothing will serve
 */
public record PortConfig(String threadName, BufferPool pool, CompletionSink sink, Consumer<Throwable> failed) {
    /** A port whose end by an error only the port itself reports. */
    public PortConfig(String threadName, BufferPool pool, CompletionSink sink) {
        this(threadName, pool, sink, error -> { });
    }
}
