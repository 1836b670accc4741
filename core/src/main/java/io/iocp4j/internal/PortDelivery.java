package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * Handlers on the port thread (no worker pool): each packet is handled during the receive completion that brought
 * it, straight from the receive buffer. The only room to wait for is in the send queue.
 */
final class PortDelivery implements Delivery {
    private final RealConnection connection;

    PortDelivery(RealConnection connection) {
        this.connection = connection;
    }

    @Override
    public boolean offer(ByteBuffer packet) {
        if (connection.repliesHoldBackReading()) {
            return false;
        }
        connection.callHandler(Job.PACKET, packet);
        return true;
    }

    /** Packets are handled as they are handed over. */
    @Override
    public boolean idle() {
        return true;
    }

    @Override
    public boolean canResume() {
        return !connection.repliesHoldBackReading();
    }

    @Override
    public void awaitRoom() {
        // Only this port thread makes a connection writable again, and it resumes reading when it does.
    }

    @Override
    public void frameError(FrameError error) {
        connection.callHandler(Job.FRAME_ERROR, error);
    }

    @Override
    public void peerClosed() {
        connection.drainThenClose(CloseReason.PEER_CLOSED);
    }

    @Override
    public void shutdown() {
        if (connection.isOpen()) {
            connection.callHandler(Job.SHUTDOWN, null);
        }
        connection.drainThenClose(CloseReason.SHUTDOWN);
    }

    @Override
    public void writableAgain() {
        connection.callHandler(Job.WRITABLE, null);
    }

    @Override
    public int holdReply(IoBuffer reply) {
        return SEND_NOW;
    }

    @Override
    public boolean holdClose(CloseReason reason) {
        return false;
    }

    @Override
    public long heldBytes() {
        return 0;
    }
}
