package io.iocp4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** A protocol client written from docs/protocol.md alone: blocking socket, frames out, frames in. */
final class WireClient implements AutoCloseable {
    /** One received frame: its type and body. */
    record Frame(int type, byte[] body) {
        int code() {
            return ByteBuffer.wrap(body).getShort() & 0xFFFF;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WireClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code source} (127.0.0.2, ...), or from where the system picks when null. */
    WireClient(int port, InetAddress source) throws IOException {
        socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put((byte) type).put(body).array();
    }

    void send(int type, byte[] body) throws IOException {
        sendRaw(frame(type, body));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends in pieces of random sizes, each its own write, so the server sees frames split every which way. */
    void sendInPieces(byte[] bytes, Random random) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            int piece = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 70_000));
            out.write(bytes, at, piece);
            out.flush();
            at += piece;
        }
    }

    /** The next frame, or null at end of stream. */
    Frame receive() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        int type = in.readUnsignedByte();
        byte[] body = new byte[length - 1];
        in.readFully(body);
        return new Frame(type, body);
    }

    boolean atEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    byte[] readExactly(int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    OutputStream output() {
        return out;
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    static byte[] named(String name) {
        return named(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] named(byte[] name) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(name.length >>> 8);
        body.write(name.length & 0xFF);
        body.writeBytes(name);
        return body.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
