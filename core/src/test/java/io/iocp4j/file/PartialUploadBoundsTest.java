package io.iocp4j.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartialUploadBoundsTest {
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong();

    private FileStore.Builder store() {
        return FileStore.builder(dir).clock(now::get).partialTtl(Duration.ZERO);
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** An upload of {@code size} bytes under {@code name} that breaks after {@code sent} of them. */
    private void broken(FileStore store, String name, int size, int sent) throws Exception {
        FileReception reception = store.receive(new FileOffer(name, size, sha256(new byte[size])));
        reception.write(ByteBuffer.allocate(sent));
        reception.abandon();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    }

    private List<String> partialsOnDisk() throws IOException {
        try (var listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".partial-")).sorted()
                    .toList();
        }
    }

    private long bytesOnDisk() throws IOException {
        long total = 0;
        try (var listing = Files.list(dir)) {
            for (Path p : listing.filter(p -> p.getFileName().toString().startsWith(".partial-")).toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    private static int rejection(FileStore store, FileOffer offer) {
        FileTransferException e = assertThrows(FileTransferException.class, () -> store.receive(offer));
        return e.code();
    }

    @Test
    void aNewOfferPastTheFileCountEvictsTheOldestIdlePartialFile() throws Exception {
        FileStore store = store().maxPartialFiles(3).build();
        for (int i = 0; i < 3; i++) {
            broken(store, "f" + i, 100, 10);
        }
        assertEquals(3, partialsOnDisk().size());
        broken(store, "f3", 100, 10);
        assertEquals(3, partialsOnDisk().size());
        assertEquals(1, store.partialUploads().evicted());
        // f0 was the oldest: its offer starts over; f1 still resumes.
        assertEquals(0, store.receive(new FileOffer("f0", 100, sha256(new byte[100]))).offset(), "f0 evicted");
    }

    @Test
    void evictsOldestByLastWriteUntilTheBytesFitAndCountsAnOfferAtItsWholeSize() throws Exception {
        FileStore store = store().maxPartialBytes(1000).build();
        broken(store, "a", 400, 100);
        broken(store, "b", 400, 200);
        broken(store, "c", 400, 300);
        // "a" written again last: now the newest.
        broken(store, "a", 400, 50);
        assertEquals(650, store.partialUploads().bytes());
        FileReception big = store.receive(new FileOffer("d", 700, sha256(new byte[700])));
        // 700 reserved: b (200) and c (300) had to go, a (150) stays.
        assertEquals(850, store.partialUploads().bytes());
        assertEquals(2, store.partialUploads().evicted());
        assertEquals(2, partialsOnDisk().size());
        big.abandon();
        assertEquals(150, store.partialUploads().bytes());
        assertEquals(150, bytesOnDisk());
        assertEquals(150, store.receive(new FileOffer("a", 400, sha256(new byte[400]))).offset());
    }

    @Test
    void aTransferInProgressIsNeverEvictedAndAnOfferWithoutRoomGetsIoErrorOrTooLarge() throws Exception {
        FileStore store = store().maxPartialFiles(2).maxPartialBytes(1000).build();
        FileReception first = store.receive(new FileOffer("x", 600, sha256(new byte[600])));
        FileReception second = store.receive(new FileOffer("y", 300, sha256(new byte[300])));
        FileTransferException noRoom = assertThrows(FileTransferException.class,
                () -> store.receive(new FileOffer("z", 10, sha256(new byte[10]))));
        assertEquals(FileRejectCode.IO_ERROR, noRoom.code());
        assertTrue(noRoom.getMessage().startsWith("no room for partial uploads"), noRoom.getMessage());
        second.abandon();
        assertEquals(FileRejectCode.IO_ERROR, rejection(store, new FileOffer("w", 500, sha256(new byte[500]))));
        FileTransferException tooLarge = assertThrows(FileTransferException.class,
                () -> store.receive(new FileOffer("v", 1001, sha256(new byte[1001]))));
        assertEquals(FileRejectCode.TOO_LARGE, tooLarge.code());
        assertTrue(tooLarge.getMessage().contains("at most 1000 bytes"), tooLarge.getMessage());
        // The rejected name is free again.
        assertEquals(0, store.receive(new FileOffer("w", 300, sha256(new byte[300]))).offset());
        assertEquals(1, partialsOnDisk().stream().filter(n -> n.contains("-600-")).count(), "x never evicted");
        first.abandon();
    }

    @Test
    void idlePartialFilesGoOnceOlderThanTheirTimeToLiveOnTheNextOffer() throws Exception {
        FileStore store = store().partialTtl(Duration.ofSeconds(60)).build();
        broken(store, "old", 100, 10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        broken(store, "young", 100, 10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        FileReception next = store.receive(new FileOffer("next", 10, sha256(new byte[10])));
        assertEquals(1, store.partialUploads().expired());
        assertEquals(2, partialsOnDisk().size(), "young and next remain");
        // A transfer in progress has no age.
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        store.receive(new FileOffer("other", 10, sha256(new byte[10]))).abandon();
        assertEquals(2, store.partialUploads().expired());
        next.write(ByteBuffer.allocate(10));
        assertNull(next.finish(), "a transfer that outlived the time to live still completes");
    }

    @Test
    void theSweeperExpiresPartialFilesWithNoOffer() throws Exception {
        FileStore store = store().partialTtl(Duration.ofSeconds(5)).sweepInterval(Duration.ofMillis(20)).build();
        broken(store, "left", 100, 10);
        assertEquals(1, partialsOnDisk().size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!partialsOnDisk().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), partialsOnDisk());
        assertEquals(new PartialUploadStats(0, 0, 0, 0, 1), store.partialUploads());
    }

    @Test
    void partialFilesOfAnEarlierRunCountAndAgeFromTheirModificationTime() throws Exception {
        FileStore first = store().build();
        broken(first, "kept", 100, 40);
        List<String> kept = partialsOnDisk();
        broken(first, "stale", 100, 30);
        Path stale = dir.resolve(partialsOnDisk().stream().filter(n -> !kept.contains(n)).findFirst().orElseThrow());
        for (String name : partialsOnDisk()) {
            Files.setLastModifiedTime(dir.resolve(name), FileTime.from(Instant.now()));
        }
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        FileStore second = store().partialTtl(Duration.ofDays(1)).build();
        assertEquals(1, second.partialUploads().files());
        assertEquals(kept, partialsOnDisk());
        assertEquals(1, second.partialUploads().expired());
    }

    @Test
    void everyEndingReleasesItsReservationExactlyOnce() throws Exception {
        FileStore store = store().maxPartialBytes(10_000).build();
        byte[] content = new byte[100];
        // Verified: the partial file becomes the stored file and leaves the bookkeeping.
        FileReception stored = store.receive(new FileOffer("ok", 100, sha256(content)));
        stored.write(ByteBuffer.wrap(content));
        assertNull(stored.finish());
        stored.abandon();
        assertEquals(new PartialUploadStats(0, 0, 0, 0, 0), store.partialUploads());
        // Mismatch: deleted.
        FileReception wrong = store.receive(new FileOffer("bad", 100, new byte[32]));
        wrong.write(ByteBuffer.wrap(content));
        assertEquals(FileTransferException.Kind.MISMATCH, wrong.finish().kind());
        wrong.abandon();
        assertEquals(new PartialUploadStats(0, 0, 0, 0, 0), store.partialUploads());
        // Broken, abandoned twice: kept once with what it holds.
        FileReception cut = store.receive(new FileOffer("cut", 100, sha256(content)));
        cut.write(ByteBuffer.wrap(content, 0, 30));
        cut.abandon();
        cut.abandon();
        assertEquals(new PartialUploadStats(1, 30, 0, 0, 0), store.partialUploads());
        // Superseded by another size of the same name: the old partial file leaves the count.
        FileReception other = store.receive(new FileOffer("cut", 50, sha256(content)));
        assertEquals(new PartialUploadStats(1, 50, 1, 0, 0), store.partialUploads());
        other.abandon();
        assertEquals(bytesOnDisk(), store.partialUploads().bytes());
        assertEquals(partialsOnDisk().size(), store.partialUploads().files());
    }
}
