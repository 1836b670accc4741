package io.iocp4j.cli;

import io.iocp4j.Attributes;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.IoBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A connection that keeps what a handler sent and whether it closed, for tests that need no socket. */
final class RecordingConnection implements Connection {
    final List<byte[]> sent = new ArrayList<>();
    boolean closed;
    boolean closedAfterFlush;
    private final Attributes attributes = new Attributes();

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public long id() {
        return 1;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 7000);
    }

    @Override
    public boolean send(ByteBuffer packet) {
        return send(new ByteBuffer[]{packet});
    }

    @Override
    public boolean send(ByteBuffer... parts) {
        if (!isOpen()) {
            return false;
        }
        ByteBuffer packet = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer part : parts) {
            packet.put(part.duplicate());
        }
        sent.add(packet.array());
        return true;
    }

    @Override
    public boolean sendEncoded(IoBuffer encoded) {
        throw new UnsupportedOperationException("not used by the program");
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void closeAfterFlush() {
        closedAfterFlush = true;
    }

    @Override
    public boolean isOpen() {
        return !closed && !closedAfterFlush;
    }

    @Override
    public CloseReason closeReason() {
        return isOpen() ? null : CloseReason.CLOSED_LOCALLY;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void attach(Object attachment) {
    }

    @Override
    public Object attachment() {
        return null;
    }

    /** The only message sent: its type byte, then its body. */
    byte[] onlySent() {
        if (sent.size() != 1) {
            throw new AssertionError("sent " + sent.size() + " messages, not 1");
        }
        return sent.getFirst();
    }
}
