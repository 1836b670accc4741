package io.iocp4j.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * JDK virtual threads over blocking sockets: one virtual thread accepts, one per connection reads and writes back.
 * The I/O threads are the virtual-thread carriers; their count is set by the system property
 * {@code jdk.virtualThreadScheduler.parallelism}, which must be given before any virtual thread starts.
 */
final class VirtualThreadEcho implements EchoPeer {
    private static final int BUFFER = 16 * 1024;

    private ServerSocket listener;

    @Override
    public int start(int port, int ioThreads) throws IOException {
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(ioThreads));
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", Integer.toString(Math.max(ioThreads, 256)));
        listener = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("accept").start(this::acceptLoop);
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> echo(socket));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[BUFFER];
            int count;
            while ((count = in.read(buffer)) >= 0) {
                out.write(buffer, 0, count);
            }
        } catch (IOException ignored) {
            // The peer went away; the connection ends here either way.
        }
    }
}
