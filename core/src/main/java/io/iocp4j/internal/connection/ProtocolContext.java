package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.SendableFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a {@link FrameProtocol} reaches of its connection beside the connection as its handler knows it: the port
 * thread, a reference for work done off the port, the close, and the raw streams of both sides: bytes received after
 * a frame that are not frames, and bytes sent in place of the send queue while later sends wait behind a gate.
 */
public interface ProtocolContext {
    Connection connection();

    BufferPool pool();

    /** Any thread: true on the thread of the port the connection is on. */
    boolean inPortThread();

    /** Any thread: runs {@code task} on the connection's port thread, following the connection if it moves. */
    void runOnPort(Runnable task);

    /** Port thread: work under way off the port holds a reference, so the connection is not released meanwhile. */
    void acquire();

    /** Port thread. */
    void dropReference();

    /** Any thread: closes now with {@code reason} unless a close has already begun. */
    void closeWith(CloseReason reason);

    /** Any thread: {@code path} opened by the transport for writes that keep its bytes in the kernel. */
    SendableFile openSendable(Path path, boolean followLinks) throws IOException;

    /**
     * Any thread: a raw stream goes from disk to socket as it is.
     *
     * @throws UnsupportedOperationException when a byte stage changes what this connection sends
     */
    void ensureSendsPassUnchanged();

    /** Any thread: false when a byte stage (TLS) changes what this connection sends, so no raw stream may go out. */
    boolean sendsPassUnchanged();

    /** Port thread: the next {@code count} bytes received are a raw stream for {@code sink}, not frames. */
    void divert(long count, RawSink sink);

    /** Port thread: the raw stream's sink finished its work; decoding goes on with what arrived behind it. */
    void rawStreamSettled();

    /** Port thread: sends queued from now on wait until {@link #openGate()}. */
    void closeGate();

    /** Port thread: the sends held back go out. */
    void openGate();

    /** Port thread: {@code source} goes out once everything queued before the gate is written. */
    void stream(RawSource source);
}
