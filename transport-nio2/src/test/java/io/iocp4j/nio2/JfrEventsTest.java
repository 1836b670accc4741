package io.iocp4j.nio2;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfers;
import io.iocp4j.frame.Framing;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each of the engine's JFR events, seen by a recording stream with the fields of what happened. */
class JfrEventsTest {
    private static final List<String> EVENTS = List.of("io.iocp4j.ConnectionOpened", "io.iocp4j.ConnectionClosed",
            "io.iocp4j.ConnectionRejected", "io.iocp4j.SlowConsumer", "io.iocp4j.FrameError",
            "io.iocp4j.HandlerFailed", "io.iocp4j.FileTransferFinished", "io.iocp4j.Shutdown");

    private final List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

    @Test
    void eachEventIsRecordedWithTheFieldsOfWhatHappened(@TempDir Path directory) throws Exception {
        try (RecordingStream recording = new RecordingStream()) {
            for (String event : EVENTS) {
                recording.enable(event);
            }
            recording.onEvent(seen::add);
            recording.startAsync();
            Path uploads = Files.createDirectory(directory.resolve("uploads"));
            FileStore store = new FileStore(uploads, 1 << 20);
            Server server = Server.builder()
                    .bind("127.0.0.1", 0)
                    .transport(Transport.NIO2)
                    .framing(Framing.lengthPrefixed(4, 1 << 16))
                    .maxQueuedBytes(256 << 10)
                    .handler(serverHandler(store))
                    .start();
            int port = server.localAddress().getPort();
            try (Socket peer = new Socket("127.0.0.1", port)) {
                peer.setSoTimeout(5000);
                send(peer, "hello");
                read(peer, 5);
                peer.shutdownOutput();
                awaitEvent("io.iocp4j.ConnectionClosed", e -> e.getString("reason").equals("PEER_CLOSED"));
            }
            RecordedEvent opened = awaitEvent("io.iocp4j.ConnectionOpened", e -> true);
            assertTrue(opened.getString("peer").contains("127.0.0.1"), opened.getString("peer"));
            RecordedEvent closed = awaitEvent("io.iocp4j.ConnectionClosed", e -> true);
            assertEquals(opened.getLong("connectionId"), closed.getLong("connectionId"));
            assertEquals(4 + 5, closed.getLong("bytesIn"));
            assertEquals(4 + 5, closed.getLong("bytesOut"));
            assertTrue(closed.getDuration("lifetime").toNanos() > 0);

            try (Socket peer = new Socket("127.0.0.1", port)) {
                peer.getOutputStream().write(new byte[] {0, 0, 0, 0});
                RecordedEvent frameError = awaitEvent("io.iocp4j.FrameError", e -> true);
                assertEquals("EMPTY", frameError.getString("error"));
            }
            try (Socket peer = new Socket("127.0.0.1", port)) {
                send(peer, "fail");
                RecordedEvent failed = awaitEvent("io.iocp4j.HandlerFailed", e -> true);
                assertEquals(IllegalStateException.class.getName(), failed.getString("exception"));
                assertEquals("asked to fail", failed.getString("message"));
                awaitEvent("io.iocp4j.ConnectionClosed", e -> e.getString("reason").equals("HANDLER_FAILED"));
            }
            try (Socket peer = new Socket("127.0.0.1", port)) {
                // The peer reads nothing; the handler answers with 64 x 64 KiB, over the 256 KiB cap.
                send(peer, "flood");
                RecordedEvent slow = awaitEvent("io.iocp4j.SlowConsumer", e -> true);
                assertTrue(slow.getLong("queuedBytes") > 256 << 10);
                assertEquals(256 << 10, slow.getLong("maxQueuedBytes"));
                awaitEvent("io.iocp4j.ConnectionClosed", e -> e.getString("reason").equals("SLOW_CONSUMER"));
            }
            server.bans().add("127.0.0.1");
            new Socket("127.0.0.1", port).close();
            RecordedEvent rejected = awaitEvent("io.iocp4j.ConnectionRejected", e -> true);
            assertEquals("BANNED", rejected.getString("reason"));
            server.bans().remove("127.0.0.1");

            Path file = directory.resolve("report.bin");
            byte[] bytes = new byte[300_000];
            new java.util.Random(7).nextBytes(bytes);
            Files.write(file, bytes);
            try (Client client = Client.builder().transport(Transport.NIO2).framing(Framing.lengthPrefixed(4, 1 << 16))
                    .handler(serverHandler(store)).build()) {
                Connection connection = client.connect("127.0.0.1", port).join();
                FileTransfers.of(connection).send(file).result().join();
                RecordedEvent transfer = awaitEvent("io.iocp4j.FileTransferFinished",
                        e -> e.getString("outcome").equals("OK"));
                assertEquals("report.bin", transfer.getString("fileName"));
                assertEquals(bytes.length, transfer.getLong("size"));
                assertEquals(bytes.length, transfer.getLong("transferred"));
            }

            server.shutdown(Duration.ofSeconds(2));
            RecordedEvent shutdown = awaitEvent("io.iocp4j.Shutdown", e -> e.getString("engine").startsWith(
                    "iocp4j-server"));
            assertEquals(0, shutdown.getLong("leasesOutstanding"));
            assertTrue(shutdown.getDuration("took").toNanos() > 0);
        }
    }

    private FileHandler serverHandler(FileStore store) {
        return new FileHandler() {
            @Override
            public FileDecision onFileOffer(Connection connection, FileOffer offer) {
                return FileDecision.use(store);
            }

            @Override
            public void onPacket(Connection connection, ByteBuffer packet) {
                String text = java.nio.charset.StandardCharsets.US_ASCII.decode(packet.duplicate()).toString();
                switch (text) {
                    case "fail" -> throw new IllegalStateException("asked to fail");
                    case "flood" -> {
                        for (int i = 0; i < 64 && connection.send(ByteBuffer.allocate(64 << 10)); i++) {
                            // Until the cap closes it.
                        }
                    }
                    default -> connection.send(packet);
                }
            }

            @Override
            public void onError(Connection connection, Throwable error) {
                // Expected here: the event is what the test reads.
            }
        };
    }

    /** The first event of {@code name} that passes {@code test}, waiting up to 10 s for it. */
    private RecordedEvent awaitEvent(String name, Predicate<RecordedEvent> test) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (RecordedEvent event : seen) {
                if (event.getEventType().getName().equals(name) && test.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + name + " event within 10 s; seen: "
                + seen.stream().map(e -> e.getEventType().getName()).toList());
    }

    private static void send(Socket socket, String text) throws java.io.IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
        out.flush();
    }

    private static byte[] read(Socket socket, int bodyLength) throws java.io.IOException {
        InputStream in = socket.getInputStream();
        return in.readNBytes(4 + bodyLength);
    }
}
