package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An echo server on NIO.2 with its ops server, both on 127.0.0.1, and peers of it: blocking sockets that send
 * a message and read its echo. Every connection's end is recorded with its reason, as {@code onDisconnect} heard it.
 */
final class EchoFixture implements AutoCloseable {
    final Server server;
    final OpsServer ops;
    final Map<Long, CloseReason> disconnected = new ConcurrentHashMap<>();
    private final List<Socket> peers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EchoFixture(int ioThreads) throws IOException {
        server = Server.builder()
                .bind("127.0.0.1", 0)
                .transport(Transport.NIO2)
                .ioThreads(ioThreads)
                .framing(Framing.lengthPrefixed(4, 1 << 16))
                .handler(new Handler() {
                    @Override
                    public void onPacket(Connection connection, ByteBuffer packet) {
                        connection.send(packet);
                    }

                    @Override
                    public void onDisconnect(Connection connection, CloseReason reason) {
                        disconnected.put(connection.id(), reason);
                    }
                })
                .start();
        ops = OpsServer.builder(server).bind("127.0.0.1", 0).token("test-token").start();
    }

    /** Opens a peer and exchanges one echo on it, so that the server has it by the time this returns. */
    Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
        socket.setSoTimeout(20_000);
        synchronized (peers) {
            peers.add(socket);
        }
        echo(socket, 32);
        return socket;
    }

    /** Sends one frame of {@code size} bytes and reads its echo whole. */
    static void echo(Socket socket, int size) throws IOException {
        byte[] frame = new byte[4 + size];
        ByteBuffer.wrap(frame).putInt(size);
        for (int i = 0; i < size; i++) {
            frame[4 + i] = (byte) i;
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(frame.length);
        if (back.length != frame.length) {
            throw new IOException("echo cut short: " + back.length + " of " + frame.length + " bytes");
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(ops.url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(ops.url().resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI url(String path) {
        return ops.url().resolve(path);
    }

    @Override
    public void close() throws IOException {
        synchronized (peers) {
            for (Socket peer : peers) {
                peer.close();
            }
        }
        ops.close();
        server.shutdown(Duration.ofSeconds(2));
        http.close();
    }
}
