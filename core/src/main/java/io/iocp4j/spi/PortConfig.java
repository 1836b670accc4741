package io.iocp4j.spi;

import io.iocp4j.buffer.BufferPool;

/**
 * What a completion port is given when it opens.
 *
 * @param threadName the name of the port's I/O thread
 * @param pool       where receive buffers are leased from
 * @param sink       where every socket completion of this port is delivered, on the port thread
 */
public record PortConfig(String threadName, BufferPool pool, CompletionSink sink) {
}
