package io.iocp4j.internal.connection;

import io.iocp4j.CloseReason;
import io.iocp4j.Handler;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * Handlers on the port thread (no worker pool): each packet is handled during the receive completion that brought
 * it, straight from the receive buffer. The only room to wait for is in the send queue.
 */
final class PortDelivery extends Delivery {
    PortDelivery(DeliveryContext connection, Handler handler, Traffic traffic) {
        super(connection, handler, traffic);
    }

    @Override
    public boolean offer(ByteBuffer packet) {
        if (replies.holdsBackReading()) {
            return false;
        }
        call(Job.PACKET, packet);
        return true;
    }

    /** Packets are handled as they are handed over. */
    @Override
    public boolean idle() {
        return true;
    }

    @Override
    public boolean canResume() {
        return !replies.holdsBackReading();
    }

    @Override
    public void awaitRoom() {
        // Only this port thread makes a connection writable again, and it resumes reading when it does.
    }

    @Override
    public void frameError(FrameError error) {
        call(Job.FRAME_ERROR, error);
    }

    @Override
    public void peerClosed() {
        connection.drainThenClose(CloseReason.PEER_CLOSED);
    }

    @Override
    public void shutdown() {
        if (connection.isOpen()) {
            call(Job.SHUTDOWN, null);
        }
        connection.drainThenClose(CloseReason.SHUTDOWN);
    }

    @Override
    public void writableAgain() {
        call(Job.WRITABLE, null);
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
