package io.iocp4j.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
