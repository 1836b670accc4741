package io.iocp4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code iocp4j server --max-partial-files --max-partial-bytes --partial-ttl}, run as a process of its own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartialUploadFlagsTest {
    private static final int SIZE = 100_000;

    @TempDir
    Path temp;

    private static byte[] offer(String name, long size) throws Exception {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(new byte[(int) Math.min(size, SIZE)]);
        return ByteBuffer.allocate(42 + bytes.length).putLong(size).put(sha256).putShort((short) bytes.length)
                .put(bytes).array();
    }

    private static List<Path> partials(Path dir) throws Exception {
        try (var listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(".partial-")).toList();
        }
    }

    private static long bytes(List<Path> files) throws Exception {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    @Test
    void brokenUploadsStayWithinTheFlagsBoundsAndGoAfterTheirTimeToLive() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        try (ServerProcess server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", "nio2", "--dir", served.toString(), "--max-partial-files", "3",
                "--max-partial-bytes", "250000", "--partial-ttl", "2")) {
            for (int i = 0; i < 8; i++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (;;) {
                    try (WireClient client = new WireClient(server.packetPort)) {
                        client.send(MessageType.FILE_OFFER, offer("broken-" + i, SIZE));
                        WireClient.Frame answer = client.receive();
                        if (answer.type() == MessageType.FILE_REJECT && System.nanoTime() < deadline) {
                            // The server has not yet seen an earlier connection end: its file is still in transfer.
                            assertEquals(5, answer.code());
                            Thread.sleep(20);
                            continue;
                        }
                        assertEquals(MessageType.FILE_ACCEPT, answer.type(), "upload " + i);
                        client.sendRaw(new byte[SIZE / 2]);
                        break;
                    }
                }
                List<Path> held = partials(served);
                assertTrue(held.size() <= 3, held.toString());
                assertTrue(bytes(held) <= 250_000, String.valueOf(bytes(held)));
            }
            try (WireClient client = new WireClient(server.packetPort)) {
                client.send(MessageType.FILE_OFFER, offer("huge", 250_001));
                WireClient.Frame answer = client.receive();
                assertEquals(MessageType.FILE_REJECT, answer.type());
                assertEquals(3, answer.code());
                assertEquals("file of 250001 bytes; partial uploads may hold at most 250000 bytes",
                        new String(answer.body(), 2, answer.body().length - 2, StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!partials(served).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), partials(served), "partial files older than --partial-ttl are deleted");
            assertEquals("", server.stderr());
        }
    }
}
