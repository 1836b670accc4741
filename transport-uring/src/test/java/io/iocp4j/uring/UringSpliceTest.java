package io.iocp4j.uring;

import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.file.FileStore;
import io.iocp4j.testkit.ContractSupport;
import io.iocp4j.testkit.FilePeer;
import io.iocp4j.testkit.LedgerFileHandler;
import io.iocp4j.testkit.LedgerHandler;
import io.iocp4j.testkit.TestFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files on io_uring. Served through a pipe with splices: a reader slow enough that the socket takes a part of the pipe at a time
 * (and is full between polls) still gets every byte in order; a reader that stops reading holds a chain in the
 * kernel, which a close of its connection ends before the socket's descriptor goes, the pipe closed after it.
 * Received in the port's bulk buffers: given back once the stream ends, so an idle connection holds none.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringSpliceTest extends ContractSupport {
    private static final long MIB = 1 << 20;
    private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    @Override
    protected Transport transport() {
        return Transport.URING;
    }

    private Server startFileServer() throws IOException {
        return startServer(new LedgerFileHandler(new LedgerHandler(serverLedger, FilePeer::answer),
                new FileStore(dir, Long.MAX_VALUE)), 1);
    }

    @Test
    void aSlowReaderGetsEveryByteThroughPartialSplices() throws Exception {
        Server server = startFileServer();
        long size = 6 * MIB + 321;
        Path served = TestFiles.create(dir.resolve("slow.bin"), size, 9);
        try (FilePeer peer = new FilePeer(server.localAddress(), 8 << 10)) {
            peer.get("slow.bin".getBytes(StandardCharsets.UTF_8));
            assertEquals(size, peer.expect(FilePeer.FILE_OFFER).body().getLong(0));
            peer.send(FilePeer.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(0).array());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = peer.socket().socket().getInputStream();
            byte[] piece = new byte[16 << 10];
            long read = 0;
            while (read < size) {
                int n = in.read(piece, 0, (int) Math.min(piece.length, size - read));
                assertTrue(n > 0, "the server closed after " + read + " bytes");
                digest.update(piece, 0, n);
                read += n;
                if (read % (512 << 10) < n) {
                    // Now and then the reader dawdles, and the server's socket fills up.
                    Thread.sleep(2);
                }
            }
            assertArrayEquals(TestFiles.sha256(served), digest.digest());
            peer.send(FilePeer.FILE_DONE, new byte[]{0});
            peer.assertUsable();
        }
        awaitPoolEmpty(server);
    }

    @Test
    void anUploadReceivedInBulkBuffersLeavesNoneHeldOnItsIdleConnection() throws Exception {
        Server server = startFileServer();
        Path source = TestFiles.create(Files.createDirectories(dir.resolve("sources")).resolve("up.bin"), 9 * MIB + 1, 4);
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            peer.offer(Files.size(source), TestFiles.sha256(source), "up.bin");
            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            peer.stream(source, 0, Files.size(source));
            assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
            peer.assertUsable();
            assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(dir.resolve("up.bin")));
            // The connection is open and silent: it holds no receive buffer, of either size.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.receiveBuffersHeld() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, server.receiveBuffersHeld());
        }
    }

    @Test
    void aCancelEndsASpliceWaitingForAPeerThatStoppedReadingAndClosesItsPipe() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(DESCRIPTORS), "needs /proc/self/fd to see open pipes");
        Server server = startFileServer();
        TestFiles.create(dir.resolve("stalled.bin"), 64 * MIB, 10);
        long pipesBefore = openPipes();
        try (FilePeer peer = new FilePeer(server.localAddress(), 8 << 10)) {
            peer.get("stalled.bin".getBytes(StandardCharsets.UTF_8));
            assertEquals(64 * MIB, peer.expect(FilePeer.FILE_OFFER).body().getLong(0));
            peer.send(FilePeer.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(0).array());
            awaitPipes(pipesBefore + 2, "the transfer's pipe (two ends) is open while it streams");
            awaitStalled(server);
            // The peer reads nothing: a chain waits in the kernel for room in the socket. FILE_CANCEL makes the server
            // close the connection, which must end the chain first.
            peer.send(FilePeer.FILE_CANCEL, new byte[]{0, 0});
            awaitConnectionCount(server, 0);
            awaitPipes(pipesBefore, "the pipe is closed once the chain is over");
        }
        try (FilePeer other = new FilePeer(server.localAddress())) {
            other.assertUsable();
        }
        ShutdownReport report = server.shutdown(Duration.ofSeconds(5));
        assertEquals(0, report.closedAtDeadline());
        assertEquals(0, report.leasesOutstanding());
    }

    /** Waits until the server has sent a pipe's worth or more, and then nothing more for a while. */
    private static void awaitStalled(Server server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        for (;;) {
            long sent = server.connections().getFirst().bytesOut();
            if (sent >= PipedFile.PIPE_BYTES && sent == last) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the stream never stalled; sent " + sent);
            last = sent;
            Thread.sleep(150);
        }
    }

    private static void awaitPipes(long expected, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openPipes() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, openPipes(), what);
    }

    private static long openPipes() throws IOException {
        long pipes = 0;
        try (var entries = Files.list(DESCRIPTORS)) {
            for (Path entry : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(entry).toString().startsWith("pipe:")) {
                        pipes++;
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed while listed (the listing's own, among others).
                }
            }
        }
        return pipes;
    }
}
