package io.iocp4j.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A blocking peer speaking the file messages of docs/protocol.md byte by byte, as an independent client would. */
public final class FilePeer implements AutoCloseable {
    public static final int TEXT = 0x01;
    public static final int PING = 0x02;
    public static final int FILE_OFFER = 0x10;
    public static final int FILE_ACCEPT = 0x11;
    public static final int FILE_REJECT = 0x12;
    public static final int FILE_DONE = 0x13;
    public static final int FILE_GET = 0x14;
    public static final int FILE_CANCEL = 0x15;
    public static final int ERROR = 0x7F;

    /** One frame: its type and body. */
    public record Frame(int type, ByteBuffer body) {
        /** The u16 code of a FILE_REJECT, FILE_CANCEL or ERROR. */
        public int code() {
            return Short.toUnsignedInt(body.getShort(0));
        }
    }

    private final FrameSocket socket;

    /** What a server under test answers a packet with, as the demo server does: PONG to a PING, else an echo. */
    public static void answer(io.iocp4j.Connection connection, ByteBuffer packet) {
        if (packet.get(packet.position()) == PING) {
            ByteBuffer pong = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
            pong.put(0, (byte) 0x03);
            connection.send(pong);
        } else {
            connection.send(packet);
        }
    }

    public FilePeer(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** A peer whose receive buffer stays {@code receiveBufferSize} bytes (0: the system's default). */
    public FilePeer(InetSocketAddress address, int receiveBufferSize) throws IOException {
        socket = new FrameSocket(address, receiveBufferSize);
    }

    public FrameSocket socket() {
        return socket;
    }

    public void send(int type, byte[] body) throws IOException {
        socket.send(ByteBuffer.allocate(1 + body.length).put((byte) type).put(body).array());
    }

    public void offer(long size, byte[] sha256, byte[] name) throws IOException {
        send(FILE_OFFER, ByteBuffer.allocate(42 + name.length).putLong(size).put(sha256)
                .putShort((short) name.length).put(name).array());
    }

    public void offer(long size, byte[] sha256, String name) throws IOException {
        offer(size, sha256, name.getBytes(StandardCharsets.UTF_8));
    }

    public void get(byte[] name) throws IOException {
        send(FILE_GET, ByteBuffer.allocate(2 + name.length).putShort((short) name.length).put(name).array());
    }

    public Frame receive() throws IOException {
        byte[] frame = socket.receive();
        assertNotNull(frame, "the peer closed");
        return new Frame(frame[0] & 0xFF, ByteBuffer.wrap(frame, 1, frame.length - 1).slice());
    }

    public Frame expect(int type) throws IOException {
        Frame frame = receive();
        assertEquals(Integer.toHexString(type), Integer.toHexString(frame.type()), "frame type");
        return frame;
    }

    /** PING, and the PONG with the same body: the connection is still usable. */
    public void assertUsable() throws IOException {
        send(PING, new byte[]{7, 7});
        Frame pong = expect(0x03);
        assertEquals(ByteBuffer.wrap(new byte[]{7, 7}), pong.body());
    }

    /** Sends bytes {@code [from, to)} of the file, raw. */
    public void stream(Path file, long from, long to) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            long position = from;
            while (position < to) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
                int read = channel.read(buffer, position);
                socket.sendRaw(java.util.Arrays.copyOf(buffer.array(), read));
                position += read;
            }
        }
    }

    /** Reads {@code length} raw bytes. */
    public byte[] readRaw(int length) throws IOException {
        byte[] bytes = new byte[length];
        new java.io.DataInputStream(socket.socket().getInputStream()).readFully(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
