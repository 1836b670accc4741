package io.iocp4j.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte, as a browser would never send them, and what came back: a status or a close. */
final class RawHttp {
    /** What a peer saw: the status code, or {@link #CLOSED} when the server closed without answering. */
    static final int CLOSED = -1;

    private RawHttp() {
    }

    static int statusOf(InetSocketAddress server, String request) throws IOException {
        return statusOf(server, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static int statusOf(InetSocketAddress server, byte[] request) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException resetWhileWriting) {
                return CLOSED;
            }
            return readStatus(socket.getInputStream());
        }
    }

    /** The status of the answer on {@code in}, or {@link #CLOSED}; a timeout fails, since nothing may hang. */
    static int readStatus(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within the socket timeout", e);
        } catch (IOException reset) {
            return CLOSED;
        }
        String status = line.toString().strip();
        if (status.isEmpty()) {
            return CLOSED;
        }
        String[] parts = status.split(" ");
        return Integer.parseInt(parts[1]);
    }
}
