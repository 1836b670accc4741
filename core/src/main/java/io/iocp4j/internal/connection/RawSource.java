package io.iocp4j.internal.connection;

import io.iocp4j.spi.TransportSocket;

import java.io.IOException;

/**
 * Raw bytes sent in place of the send queue (a file's), one write in flight at a time, once everything queued before
 * them is written. Port thread only.
 */
public interface RawSource {
    /** Bytes are left to write, or their end is still to be told. */
    boolean active();

    /** True once every byte is written; the source has then stopped and told whoever waits for it. */
    boolean finishIfWritten();

    /**
     * Starts the next write on {@code socket}; {@link #finishIfWritten()} said bytes are left.
     *
     * @throws IOException when the bytes cannot be had; the stream is over and nothing was started
     */
    void writeNext(TransportSocket socket, long userData) throws IOException;

    /** The write in flight wrote {@code bytes}. */
    void written(int bytes);

    /** Ends the stream where it is; no write of it may be in flight. */
    void stop();
}
