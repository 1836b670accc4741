package io.iocp4j.testkit;

import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransfers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk errors in the middle of a file transfer, injected through the store's {@link FileStore.Opener}: a receiver
 * whose disk fails answers FILE_DONE 1 (or FILE_REJECT 5 when the file cannot even be opened) and stays usable; a
 * sender whose file ends early closes that connection only; transfers on other connections go on untouched, and
 * every buffer comes back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class FileDiskErrorContract extends ContractSupport {
    private static final long MIB = 1 << 20;
    /** Uploads of this size go to a partial file whose writes fail after {@link #WRITES_BEFORE_FAILURE}. */
    private static final long FAILING_SIZE = 6 * MIB + 11;
    private static final long WRITES_BEFORE_FAILURE = MIB + 3;
    /** Uploads of this size cannot open their partial file. */
    private static final long UNOPENABLE_SIZE = 1013;
    private static final int WAIT_SECONDS = 60;

    @TempDir
    Path temp;
    private Path serverDir;

    /** A store whose disk fails for the two sizes above; partial file names carry the offered size. */
    private static FileChannel open(Path path, OpenOption... options) throws IOException {
        String name = path.getFileName().toString();
        if (name.contains("-" + UNOPENABLE_SIZE + "-")) {
            throw new IOException("Input/output error (injected)");
        }
        FileChannel channel = FileChannel.open(path, options);
        return name.contains("-" + FAILING_SIZE + "-") ? new FailingFileChannel(channel, WRITES_BEFORE_FAILURE)
                : channel;
    }

    private LedgerFileHandler serverHandler;

    private Server startFileServer() throws IOException {
        serverDir = Files.createDirectories(temp.resolve("server"));
        serverHandler = new LedgerFileHandler(new LedgerHandler(serverLedger, FilePeer::answer),
                new FileStore(serverDir, Long.MAX_VALUE, FileDiskErrorContract::open));
        return startServer(serverHandler);
    }

    @Test
    void aDiskErrorMidStreamEndsInDoneOneAndSparesTransfersOnOtherConnections() throws Exception {
        Server server = startFileServer();
        Path sources = Files.createDirectories(temp.resolve("sources"));
        Path good = TestFiles.create(sources.resolve("good.bin"), 24 * MIB + 5, 1);
        Path failing = TestFiles.create(sources.resolve("failing.bin"), FAILING_SIZE, 2);
        Path clientDir = Files.createDirectories(temp.resolve("client"));
        Connection connection = startClient(new LedgerFileHandler(new LedgerHandler(clientLedger, (c, p) -> { }),
                new FileStore(clientDir, Long.MAX_VALUE))).connect(server.localAddress())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        FileTransfer goodUpload = FileTransfers.of(connection).send(good);
        try (FilePeer peer = new FilePeer(server.localAddress());
             FilePeer unopenable = new FilePeer(server.localAddress())) {
            peer.offer(FAILING_SIZE, TestFiles.sha256(failing), "failing.bin");
            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            peer.stream(failing, 0, FAILING_SIZE);
            assertEquals(1, peer.expect(FilePeer.FILE_DONE).body().get(0), "FILE_DONE after a disk error");
            peer.assertUsable();

            byte[] small = new byte[(int) UNOPENABLE_SIZE];
            unopenable.offer(small.length, TestFiles.sha256(small), "unopenable.bin");
            assertEquals(FileRejectCode.IO_ERROR, unopenable.expect(FilePeer.FILE_REJECT).code());
            unopenable.assertUsable();
        }
        goodUpload.result().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(TestFiles.sha256(good), TestFiles.sha256(serverDir.resolve("good.bin")));
        LedgerFileHandler.Received broken = receivedOf(serverHandler, "failing.bin");
        assertNotNull(broken.error(), "the handler hears the disk error");
        assertTrue(broken.error().getMessage().contains("injected"), broken.error().getMessage());
        try (var listing = Files.list(serverDir)) {
            assertEquals(List.of(serverDir.resolve("good.bin")), listing.toList(),
                    "nothing under the failed name, and no partial file to resume from");
        }
        connection.close();
        awaitPoolEmpty(server);
    }

    @Test
    void aServedFileThatEndsEarlyClosesOnlyItsOwnConnection() throws Exception {
        Server server = startFileServer();
        long size = 8 * MIB;
        long shrunk = MIB + 7;
        Path served = TestFiles.create(serverDir.resolve("shrinking.bin"), size, 3);
        try (FilePeer peer = new FilePeer(server.localAddress());
             FilePeer other = new FilePeer(server.localAddress())) {
            peer.get("shrinking.bin".getBytes(StandardCharsets.UTF_8));
            assertEquals(size, peer.expect(FilePeer.FILE_OFFER).body().getLong(0));
            try (FileChannel channel = FileChannel.open(served, StandardOpenOption.WRITE)) {
                channel.truncate(shrunk);
            }
            peer.send(FilePeer.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(0).array());
            long read = readUntilClosed(peer.socket().socket().getInputStream());
            assertTrue(read <= shrunk, "read " + read + " bytes of a file cut to " + shrunk);

            other.assertUsable();
            byte[] content = "still served".getBytes(StandardCharsets.UTF_8);
            other.offer(content.length, TestFiles.sha256(content), "after.bin");
            assertEquals(0, other.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            other.socket().sendRaw(content);
            assertEquals(0, other.expect(FilePeer.FILE_DONE).body().get(0));
        }
        awaitPoolEmpty(server);
    }

    /** Bytes read until the server closes the connection (an end of stream or a reset). */
    private static long readUntilClosed(InputStream in) {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (IOException reset) {
            // A close with unread bytes in the server's socket resets the connection: closed all the same.
        }
        return total;
    }

    private static LedgerFileHandler.Received receivedOf(LedgerFileHandler handler, String name)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        LinkedBlockingQueue<LedgerFileHandler.Received> received = handler.received;
        while (System.nanoTime() < deadline) {
            LedgerFileHandler.Received next = received.poll(1, TimeUnit.SECONDS);
            if (next != null && next.offer().name().equals(name)) {
                return next;
            }
        }
        throw new AssertionError("the handler never heard of " + name);
    }
}
