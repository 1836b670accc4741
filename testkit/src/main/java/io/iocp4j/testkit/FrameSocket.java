package io.iocp4j.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/** A blocking socket speaking 4-byte length-prefixed frames: the plain peer that contract tests talk to. */
public final class FrameSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public FrameSocket(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /**
     * A peer whose receive buffer is {@code receiveBufferSize} bytes from the start (0: the system's default), so
     * the window it offers stays that small and whatever the server sends beyond it waits in flight.
     */
    public FrameSocket(InetSocketAddress address, int receiveBufferSize) throws IOException {
        this(address, receiveBufferSize, null);
    }

    /** A peer connecting from {@code source} (say 127.0.0.2, any port), or from wherever the system picks if null. */
    public FrameSocket(InetSocketAddress address, int receiveBufferSize, InetAddress source) throws IOException {
        socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(address, 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Frames over a socket already connected (a TLS socket after its handshake, say). */
    FrameSocket(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    public void send(byte[] payload) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.write(payload);
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame's payload, or null at end of stream. */
    public byte[] receive() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /** True when the peer closed: end of stream or reset, with nothing more to read. */
    public boolean readsEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Closes with a reset (SO_LINGER 0) instead of an orderly FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
