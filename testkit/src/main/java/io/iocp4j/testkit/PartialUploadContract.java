package io.iocp4j.testkit;

import io.iocp4j.Server;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.PartialUploadStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile uploads against the bounds on partial files: many offered, half sent, then reset. The partial files on
 * disk never pass the store's bounds, later offers make room by evicting the oldest, a partial file still there
 * resumes, and those past their time to live (on a manual clock) go.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PartialUploadContract extends ContractSupport {
    private static final int SIZE = 200_000;
    private static final int MAX_FILES = 10;
    private static final long MAX_BYTES = 6L * SIZE;
    private static final int UPLOADS = 60;
    private static final int WAIT_SECONDS = 30;

    @TempDir
    Path temp;

    private static List<Path> partialsOn(Path dir) throws IOException {
        try (var listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(".partial-")).toList();
        }
    }

    private static long bytesOf(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    /** Offers until accepted, waiting out the answers that only say the server has not yet seen a reset. */
    private static long acceptedOffset(FilePeer peer, Path source, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (;;) {
            peer.offer(SIZE, TestFiles.sha256(source), name);
            FilePeer.Frame answer = peer.receive();
            if (answer.type() == FilePeer.FILE_ACCEPT) {
                return answer.body().getLong(0);
            }
            assertEquals(FilePeer.FILE_REJECT, answer.type());
            assertTrue(answer.code() == FileRejectCode.IO_ERROR || answer.code() == FileRejectCode.BUSY,
                    "FILE_REJECT " + answer.code());
            assertTrue(System.nanoTime() < deadline, "never accepted: " + name);
            Thread.sleep(10);
        }
    }

    @Test
    void uploadsResetHalfwayNeverPassTheBoundsEvictTheOldestAndTheNewestStillResumes() throws Exception {
        Path serverDir = Files.createDirectories(temp.resolve("server"));
        Path source = TestFiles.create(temp.resolve("source.bin"), SIZE, 1);
        ManualClock clock = new ManualClock();
        FileStore store = FileStore.builder(serverDir).maxPartialFiles(MAX_FILES).maxPartialBytes(MAX_BYTES)
                .partialTtl(Duration.ofHours(1)).clock(clock).build();
        Server server = startServer(new LedgerFileHandler(new LedgerHandler(serverLedger, FilePeer::answer), store));
        for (int i = 0; i < UPLOADS; i++) {
            try (FilePeer peer = new FilePeer(server.localAddress())) {
                assertEquals(0, acceptedOffset(peer, source, "broken-" + i + ".bin"));
                peer.stream(source, 0, SIZE / 2);
                peer.socket().reset();
            }
            List<Path> onDisk = partialsOn(serverDir);
            assertTrue(onDisk.size() <= MAX_FILES, "files " + onDisk.size());
            assertTrue(bytesOf(onDisk) <= MAX_BYTES, "bytes " + bytesOf(onDisk));
            PartialUploadStats stats = store.partialUploads();
            assertTrue(stats.files() <= MAX_FILES && stats.bytes() <= MAX_BYTES, stats.toString());
        }
        waitUntil(() -> store.partialUploads().inTransfer() == 0, WAIT_SECONDS);
        PartialUploadStats settled = store.partialUploads();
        assertEquals(0, settled.inTransfer(), settled.toString());
        assertTrue(settled.evicted() >= UPLOADS - MAX_FILES, settled.toString());
        assertEquals(bytesOf(partialsOn(serverDir)), settled.bytes());

        String newest = "broken-" + (UPLOADS - 1) + ".bin";
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            long offset = acceptedOffset(peer, source, newest);
            assertTrue(offset > 0 && offset <= SIZE / 2, "resumed at " + offset);
            peer.stream(source, offset, SIZE);
            assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
            peer.assertUsable();
        }
        assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(serverDir.resolve(newest)));

        clock.advance(Duration.ofHours(2));
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            assertEquals(0, acceptedOffset(peer, source, "after-the-ttl.bin"));
            peer.stream(source, 0, SIZE);
            assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
        }
        assertEquals(List.of(), partialsOn(serverDir), "every idle partial file outlived its time to live");
        assertTrue(store.partialUploads().expired() > 0, store.partialUploads().toString());
        awaitPoolEmpty(server);
    }

    @Test
    void aServerShutdownMidStreamGivesBackEachReservationAndKeepsWhatArrived() throws Exception {
        Path serverDir = Files.createDirectories(temp.resolve("server"));
        Path source = TestFiles.create(temp.resolve("source.bin"), SIZE, 2);
        FileStore store = FileStore.builder(serverDir).maxPartialFiles(MAX_FILES).maxPartialBytes(MAX_BYTES).build();
        Server server = startServer(new LedgerFileHandler(new LedgerHandler(serverLedger, FilePeer::answer), store));
        try (FilePeer first = new FilePeer(server.localAddress());
             FilePeer second = new FilePeer(server.localAddress())) {
            assertEquals(0, acceptedOffset(first, source, "first.bin"));
            assertEquals(0, acceptedOffset(second, source, "second.bin"));
            first.stream(source, 0, SIZE / 4);
            second.stream(source, 0, SIZE / 2);
            waitUntil(() -> bytesOnDiskQuietly(serverDir) == SIZE / 4 + SIZE / 2, WAIT_SECONDS);
            assertEquals(new PartialUploadStats(2, 2L * SIZE, 2, 0, 0), store.partialUploads());
            server.shutdown(Duration.ofSeconds(5));
        }
        waitUntil(() -> store.partialUploads().inTransfer() == 0, WAIT_SECONDS);
        assertEquals(new PartialUploadStats(2, SIZE / 4 + SIZE / 2, 0, 0, 0), store.partialUploads());
    }

    private static long bytesOnDiskQuietly(Path dir) {
        try {
            return bytesOf(partialsOn(dir));
        } catch (IOException e) {
            return -1;
        }
    }
}
