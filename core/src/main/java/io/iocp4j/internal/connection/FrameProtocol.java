package io.iocp4j.internal.connection;

import java.nio.ByteBuffer;

/**
 * A protocol above framing that takes some of a connection's frames before its handler sees them: the file part of
 * docs/protocol.md. The receiving side offers it each frame first, in order with the packets around it. Port thread
 * only.
 */
public interface FrameProtocol {
    /** True for the frames this protocol takes instead of the handler. */
    boolean claims(ByteBuffer frame);

    /** A frame it claimed; valid during the call only. */
    void onFrame(ByteBuffer frame);

    /** Nothing of the protocol is under way: the connection may move to another port. */
    boolean idle();

    /** The connection was released: whatever was under way is over. */
    void released();
}
