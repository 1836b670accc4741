package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** Whether the server still serves: a fresh connection sends a TEXT and must get the same TEXT back in time. */
final class ServingCheck {
    private static final int TIMEOUT_MILLIS = 5000;

    private ServingCheck() {
    }

    /** "yes (N ms)", or "no: " and what went wrong. */
    static String check(int port) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            byte[] text = WireFrames.text(32);
            socket.getOutputStream().write(text);
            FrameReader reader = new FrameReader(socket.getInputStream());
            // Bounded: a server answering with anything but our echo gets a few frames' chance, no more.
            for (int i = 0; i < 4; i++) {
                int type = reader.next();
                if (type < 0) {
                    return "no: closed";
                }
                if (type == WireFrames.TEXT
                        && Arrays.equals(reader.bodyStart(), Arrays.copyOfRange(text, 5, text.length))) {
                    return "yes (" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)";
                }
                if (type == WireFrames.ERROR) {
                    return "no: ERROR " + reader.errorCode();
                }
            }
            return "no: no echo";
        } catch (IOException e) {
            return "no: " + (e instanceof java.net.SocketTimeoutException ? "no answer in " + TIMEOUT_MILLIS + " ms"
                    : e.getClass().getSimpleName());
        }
    }
}
