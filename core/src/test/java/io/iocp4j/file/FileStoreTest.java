package io.iocp4j.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStoreTest {
    @TempDir
    Path dir;

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static int rejection(ThrowingCall call) {
        FileTransferException e = assertThrows(FileTransferException.class, call::run);
        assertEquals(FileTransferException.Kind.REJECTED, e.kind());
        return e.code();
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void storesUnderTheFinalNameOnlyOnceTheChecksumMatches() throws Exception {
        FileStore store = new FileStore(dir, 100);
        byte[] content = "hello, file".getBytes(StandardCharsets.US_ASCII);
        FileReception reception = store.receive(new FileOffer("a.txt", content.length, sha256(content)));
        assertEquals(0, reception.offset());
        reception.write(ByteBuffer.wrap(content, 0, 5));
        assertFalse(Files.exists(dir.resolve("a.txt")));
        reception.write(ByteBuffer.wrap(content, 5, content.length - 5));
        assertNull(reception.finish());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("a.txt")));
        assertEquals(List.of(dir.resolve("a.txt")), Files.list(dir).toList());
    }

    @Test
    void keepsAnAbandonedTransferForAResumeOfTheSameFileOnly() throws Exception {
        FileStore store = new FileStore(dir, 100);
        byte[] content = "0123456789".getBytes(StandardCharsets.US_ASCII);
        FileOffer offer = new FileOffer("b.bin", 10, sha256(content));
        FileReception first = store.receive(offer);
        first.write(ByteBuffer.wrap(content, 0, 4));
        first.abandon();
        FileReception resumed = store.receive(offer);
        assertEquals(4, resumed.offset());
        resumed.write(ByteBuffer.wrap(content, 4, 6));
        assertNull(resumed.finish());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("b.bin")));

        // Another size or checksum under the same name starts over, and removes what can no longer be resumed.
        FileReception other = store.receive(new FileOffer("c.bin", 10, sha256(content)));
        other.write(ByteBuffer.wrap(content, 0, 3));
        other.abandon();
        FileReception changed = store.receive(new FileOffer("c.bin", 9, sha256(content)));
        assertEquals(0, changed.offset());
        changed.abandon();
        assertEquals(1, Files.list(dir).filter(p -> p.getFileName().toString().startsWith(".partial-")).count());
    }

    @Test
    void rejectsOverTheLimitASecondReceiverOfANameAndBadNames() throws Exception {
        FileStore store = new FileStore(dir, 100);
        assertEquals(FileRejectCode.TOO_LARGE, rejection(() -> store.receive(new FileOffer("x", 101, new byte[32]))));
        FileReception busy = store.receive(new FileOffer("x", 100, new byte[32]));
        assertEquals(FileRejectCode.BUSY, rejection(() -> store.receive(new FileOffer("x", 1, new byte[32]))));
        busy.abandon();
        store.receive(new FileOffer("x", 1, new byte[32])).abandon();
        assertEquals(FileRejectCode.BAD_NAME, rejection(() -> store.receive(new FileOffer("..", 1, new byte[32]))));
        assertEquals(FileRejectCode.BAD_NAME, rejection(() -> store.open("a/b")));
        assertEquals(FileRejectCode.NOT_FOUND, rejection(() -> store.open("missing")));
    }

    @Test
    void aMismatchDeletesThePartialFileAndADiskErrorIsAFailureNotACrash() throws Exception {
        FileStore store = new FileStore(dir, 100);
        FileReception wrong = store.receive(new FileOffer("m", 3, new byte[32]));
        wrong.write(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertEquals(FileTransferException.Kind.MISMATCH, wrong.finish().kind());
        assertEquals(List.of(), Files.list(dir).toList());

        Path gone = Files.createDirectory(dir.resolve("gone"));
        FileStore vanished = new FileStore(gone, 100);
        Files.delete(gone);
        assertEquals(FileRejectCode.IO_ERROR, rejection(() -> vanished.receive(new FileOffer("x", 1, new byte[32]))));
    }

    @Test
    void servesRegularFilesWithTheirChecksumAndNeverThroughALink() throws Exception {
        FileStore store = new FileStore(dir, 100);
        byte[] content = "served".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("s.txt"), content);
        FileSource source = store.open("s.txt");
        source.channel().close();
        assertArrayEquals(sha256(content), source.offer().sha256());
        assertEquals(content.length, source.offer().size());
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("s.txt"));
        assertEquals(FileRejectCode.NOT_FOUND, rejection(() -> store.open("link")));
        Files.createDirectory(dir.resolve("sub"));
        assertEquals(FileRejectCode.NOT_FOUND, rejection(() -> store.open("sub")));
        assertTrue(Files.exists(dir.resolve("s.txt")));
    }

    /** A store that hashes every non-empty transfer aside, on a thread of its own. */
    private FileStore hashingAside(FileStore.Opener opener) throws IOException {
        return new FileStore(dir, Long.MAX_VALUE, opener, 1, new Semaphore(1));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code content[from, to)} in pieces of random length, as receives would bring it. */
    private static void writeInPieces(FileReception reception, byte[] content, int from, int to, Random random) {
        for (int at = from; at < to; ) {
            int piece = Math.min(to - at, 1 + random.nextInt(70_000));
            ByteBuffer bytes = ByteBuffer.allocateDirect(piece).put(content, at, piece).flip();
            reception.write(bytes);
            assertEquals(bytes.limit(), bytes.position());
            at += piece;
        }
    }

    private static long hashThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("iocp4j-file-hash")).count();
    }

    private static void awaitNoHashThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hashThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, hashThreads(), "a hashing thread outlived its transfer");
    }

    @Test
    void aLargeTransferIsHashedBehindItsWritesOnAThreadOfItsOwn() throws Exception {
        FileStore store = hashingAside(FileChannel::open);
        byte[] content = random(5 * (1 << 20) + 333, 1);
        FileReception reception = store.receive(new FileOffer("big.bin", content.length, sha256(content)));
        // Waiting for the first bytes: it lives until the last one is hashed.
        assertEquals(1, hashThreads());
        writeInPieces(reception, content, 0, content.length, new Random(2));
        CompletableFuture<FileTransferException> outcome = new CompletableFuture<>();
        reception.finish(outcome::complete);
        assertNull(outcome.get(30, TimeUnit.SECONDS));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("big.bin")));
        assertArrayEquals(sha256(content), store.open("big.bin").offer().sha256());
        awaitNoHashThread();
    }

    @Test
    void withNoCoreToSpareALargeTransferIsHashedOnTheWay() throws Exception {
        Semaphore spareCores = new Semaphore(1);
        FileStore store = new FileStore(dir, Long.MAX_VALUE, FileChannel::open, 1, spareCores);
        byte[] content = random(3 * (1 << 20), 11);
        FileReception aside = store.receive(new FileOffer("aside.bin", content.length, sha256(content)));
        assertEquals(1, hashThreads());
        assertEquals(0, spareCores.availablePermits());
        FileReception onTheWay = store.receive(new FileOffer("on-the-way.bin", content.length, sha256(content)));
        assertEquals(1, hashThreads(), "no second hashing thread without a core to spare");
        writeInPieces(onTheWay, content, 0, content.length, new Random(12));
        writeInPieces(aside, content, 0, content.length, new Random(13));
        assertNull(onTheWay.finish());
        assertNull(aside.finish());
        awaitNoHashThread();
        assertEquals(1, spareCores.availablePermits(), "the ended hash gave its core back");
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("aside.bin")));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("on-the-way.bin")));
        FileReception next = store.receive(new FileOffer("next.bin", content.length, sha256(content)));
        assertEquals(1, hashThreads());
        next.abandon();
        awaitNoHashThread();
        assertEquals(1, spareCores.availablePermits(), "an abandoned hash gives its core back too");
    }

    @Test
    void aResumeHashedAsideCarriesOnFromWhatTheFirstTransferLeft() throws Exception {
        FileStore store = hashingAside(FileChannel::open);
        byte[] content = random(3 * (1 << 20) + 17, 3);
        FileOffer offer = new FileOffer("resumed.bin", content.length, sha256(content));
        FileReception first = store.receive(offer);
        int cut = (1 << 20) + 5;
        writeInPieces(first, content, 0, cut, new Random(4));
        first.abandon();
        FileReception resumed = store.receive(offer);
        assertEquals(cut, resumed.offset());
        writeInPieces(resumed, content, cut, content.length, new Random(5));
        assertNull(resumed.finish());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("resumed.bin")));

        FileReception wrong = store.receive(new FileOffer("wrong.bin", content.length, new byte[32]));
        writeInPieces(wrong, content, 0, content.length, new Random(6));
        assertEquals(FileTransferException.Kind.MISMATCH, wrong.finish().kind());
        assertFalse(Files.exists(dir.resolve("wrong.bin")));
        awaitNoHashThread();
    }

    @Test
    void aDiskErrorStopsTheHashAndEndsInAFailureWithNoPartialFileLeft() throws Exception {
        AtomicReference<FileChannel> opened = new AtomicReference<>();
        FileStore store = hashingAside((path, options) -> {
            FileChannel channel = FileChannel.open(path, options);
            opened.set(channel);
            return channel;
        });
        byte[] content = random(3 * (1 << 20), 7);
        FileReception reception = store.receive(new FileOffer("failing.bin", content.length, sha256(content)));
        writeInPieces(reception, content, 0, 1 << 20, new Random(8));
        // A channel closed under the writer fails its writes (and the hash's reads) as a broken disk would.
        opened.get().close();
        writeInPieces(reception, content, 1 << 20, content.length, new Random(8));
        FileTransferException error = reception.finish();
        assertNotNull(error);
        assertEquals(FileTransferException.Kind.BROKEN, error.kind());
        assertTrue(error.getMessage().contains("disk error"), error.getMessage());
        assertEquals(List.of(), Files.list(dir).toList());
        awaitNoHashThread();
    }

    @Test
    void transfersAbandonedAtRandomPointsWhileTheirHashRunsLeaveNoThreadAndResumeCorrectly() throws Exception {
        FileStore store = hashingAside(FileChannel::open);
        Random random = new Random(9);
        byte[] content = random(3 * (1 << 20) + 1, 10);
        FileOffer offer = new FileOffer("again.bin", content.length, sha256(content));
        int held = 0;
        for (int round = 0; round < 200; round++) {
            FileReception reception = store.receive(offer);
            assertEquals(held, reception.offset());
            int to = Math.min(content.length - 1, held + random.nextInt(64 << 10));
            writeInPieces(reception, content, held, to, random);
            reception.abandon();
            held = to;
        }
        FileReception last = store.receive(offer);
        assertEquals(held, last.offset());
        writeInPieces(last, content, held, content.length, random);
        assertNull(last.finish());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("again.bin")));
        assertNotEquals(0, held);
        awaitNoHashThread();
    }
}
