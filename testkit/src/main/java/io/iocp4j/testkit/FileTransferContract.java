package io.iocp4j.testkit;

import org.junit.jupiter.api.Assumptions;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.file.DiskNames;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransfers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file part of docs/protocol.md on a transport: uploads and downloads verified by SHA-256, names, symbolic links,
 * checksums, resume, cancel, and files streaming while other connections are served. Peers are iocp4j clients, or a
 * plain blocking socket speaking the protocol byte by byte.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class FileTransferContract extends ContractSupport {
    private static final long MIB = 1 << 20;
    private static final int WAIT_SECONDS = 120;

    @TempDir
    Path temp;
    private Path serverDir;
    private Path clientDir;
    private Path sources;

    /** The server's handler: files into and from {@code serverDir}; TEXT echoed, PING answered with PONG. */
    private LedgerFileHandler serverHandler(FileStore store) {
        return new LedgerFileHandler(new LedgerHandler(serverLedger, FilePeer::answer), store);
    }

    private Server startFileServer(long maxFileSize) throws IOException {
        serverDir = Files.createDirectories(temp.resolve("server"));
        clientDir = Files.createDirectories(temp.resolve("client"));
        sources = Files.createDirectories(temp.resolve("sources"));
        return startServer(serverHandler(new FileStore(serverDir, maxFileSize)));
    }

    private Server startFileServer() throws IOException {
        return startFileServer(Long.MAX_VALUE);
    }

    private LedgerFileHandler clientHandler(LinkedBlockingQueue<ByteBuffer> packets) throws IOException {
        return new LedgerFileHandler(new LedgerHandler(clientLedger, (connection, packet) ->
                packets.add(ByteBuffer.allocate(packet.remaining()).put(packet).flip())), new FileStore(clientDir,
                Long.MAX_VALUE));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static FileTransferException failure(FileTransfer transfer) throws Exception {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> await(transfer.result()));
        return assertInstanceOf(FileTransferException.class, thrown.getCause());
    }

    @Test
    void uploadsAndDownloadsEmptyOneByteAndMebibyteFilesVerifiedWithSendsAfterThemInOrder() throws Exception {
        Server server = startFileServer();
        LinkedBlockingQueue<ByteBuffer> echoed = new LinkedBlockingQueue<>();
        LedgerFileHandler client = clientHandler(echoed);
        Connection connection = await(startClient(client).connect(server.localAddress()));
        long[] sizes = {0, 1, MIB, 3 * MIB + 1};
        for (int i = 0; i < sizes.length; i++) {
            String name = "file-" + sizes[i] + ".bin";
            Path source = TestFiles.create(sources.resolve(name), sizes[i], i);
            FileTransfer upload = FileTransfers.of(connection).send(source);
            // Sent while the file is hashed or streams: it must wait and come after the file's last byte.
            byte[] text = ("after " + name).getBytes(StandardCharsets.UTF_8);
            connection.send(ByteBuffer.allocate(1 + text.length).put((byte) FilePeer.TEXT).put(text).flip());
            FileOffer offered = await(upload.result());
            assertEquals(sizes[i], offered.size());
            assertEquals(sizes[i], upload.transferred());
            assertEquals(sizes[i], upload.hashTotal());
            assertEquals(sizes[i], upload.hashed(), "the sender's hashing shows its progress to the end");
            assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(serverDir.resolve(name)));
            ByteBuffer echo = echoed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(ByteBuffer.allocate(1 + text.length).put((byte) FilePeer.TEXT).put(text).flip(), echo);

            Files.delete(serverDir.resolve(name));
            Files.copy(source, serverDir.resolve("copy-" + name));
            FileTransfer download = FileTransfers.of(connection).request("copy-" + name);
            assertEquals(sizes[i], await(download.result()).size());
            assertEquals(-1, download.hashTotal(), "a download is not hashed before its offer on this side");
            assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(clientDir.resolve("copy-" + name)));
            assertNull(client.received.take().error());
        }
        closeThenAwaitPoolEmpty(server, connection);
    }

    @Test
    void uploadsAndDownloadsAFileOfThreeHundredMebibytes() throws Exception {
        Server server = startFileServer();
        LedgerFileHandler client = clientHandler(new LinkedBlockingQueue<>());
        Connection connection = await(startClient(client).connect(server.localAddress()));
        Path source = TestFiles.create(sources.resolve("large.bin"), 300 * MIB + 12_345, 7);
        byte[] sha256 = TestFiles.sha256(source);
        FileTransfer upload = FileTransfers.of(connection).send(source);
        await(upload.result());
        assertArrayEquals(sha256, TestFiles.sha256(serverDir.resolve("large.bin")));
        Files.delete(source);
        FileTransfer download = FileTransfers.of(connection).request("large.bin");
        await(download.result());
        assertArrayEquals(sha256, TestFiles.sha256(clientDir.resolve("large.bin")));
        assertEquals(300 * MIB + 12_345, download.transferred());
        closeThenAwaitPoolEmpty(server, connection);
    }

    @Test
    void aFileStillBeingHashedWhenItsClientShutsDownIsClosedNotLeaked() throws Exception {
        Path descriptors = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(descriptors), "needs /proc/self/fd to see open files");
        Server server = startFileServer();
        Client client = startClient(clientHandler(new LinkedBlockingQueue<>()));
        Connection connection = await(client.connect(server.localAddress()));
        Path source = TestFiles.create(sources.resolve("hashed.bin"), 200 * MIB, 11);
        FileTransfer upload = FileTransfers.of(connection).send(source);
        // Hashing 200 MiB takes a while: the shutdown finds the file open off the port.
        ShutdownReport report = client.shutdownNow();
        assertEquals(0, report.leasesOutstanding());
        assertEquals(FileTransferException.Kind.BROKEN, failure(upload).kind());
        assertEquals(List.of(), openDescriptorsOf(descriptors, source), "the file is still open");
        Files.delete(source);
    }

    /** The descriptors of this process open on {@code file}. */
    private static List<Path> openDescriptorsOf(Path descriptors, Path file) throws IOException {
        Path target = file.toRealPath();
        List<Path> open = new ArrayList<>();
        try (var entries = Files.list(descriptors)) {
            for (Path entry : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(entry).equals(target)) {
                        open.add(entry);
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed while listed (the listing's own, among others).
                }
            }
        }
        return open;
    }

    @Test
    void rejectsEveryBadNameWithCodeTwoAndStaysUsable() throws Exception {
        Server server = startFileServer();
        byte[] tooLong = new byte[256];
        Arrays.fill(tooLong, (byte) 'a');
        byte[][] bad = {{}, {'.'}, {'.', '.'}, {'a', '/', 'b'}, {'/'}, {'a', '\\', 'b'}, {'a', 0}, {0x01},
                {'a', 0x1F}, {'a', 0x7F}, {'\n'}, tooLong, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'.', '.', '/', 'x'}};
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            for (byte[] name : bad) {
                peer.get(name);
                assertEquals(FileRejectCode.BAD_NAME, peer.expect(FilePeer.FILE_REJECT).code(), Arrays.toString(name));
                peer.offer(1, new byte[32], name);
                assertEquals(FileRejectCode.BAD_NAME, peer.expect(FilePeer.FILE_REJECT).code(), Arrays.toString(name));
                peer.assertUsable();
            }
        }
        try (var listing = Files.list(serverDir)) {
            assertEquals(List.of(), listing.toList());
        }
    }

    @Test
    void storesAndServesNonAsciiAndLongNamesUnderTheirDiskNames() throws Exception {
        Server server = startFileServer();
        LedgerFileHandler client = clientHandler(new LinkedBlockingQueue<>());
        Connection connection = await(startClient(client).connect(server.localAddress()));
        String[] names = {"résumé.txt", "日本語.md", "é".repeat(127), ".hidden", "100%~x", "a b"};
        for (int i = 0; i < names.length; i++) {
            Path source = TestFiles.create(sources.resolve("source-" + i), 1000 + i, i);
            await(FileTransfers.of(connection).send(source, names[i]).result());
            Path stored = serverDir.resolve(DiskNames.of(names[i]));
            assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(stored), names[i]);
            // As its UTF-8 bytes where this JVM names files in UTF-8, else in printable ASCII; never as the server's
            // own files, which begin with a dot.
            String diskName = stored.getFileName().toString();
            if (!DiskNames.keepsUtf8()) {
                assertTrue(diskName.chars().allMatch(c -> c >= 0x20 && c < 0x7F), names[i]);
            } else if (names[i].equals("résumé.txt") || names[i].equals("日本語.md")) {
                assertEquals(names[i], diskName, "a plain UTF-8 name is stored as it is");
            }
            assertFalse(diskName.startsWith("."), names[i]);
            await(FileTransfers.of(connection).request(names[i]).result());
            assertArrayEquals(TestFiles.sha256(source), TestFiles.sha256(clientDir.resolve(DiskNames.of(names[i]))));
        }
    }

    @Test
    void neverFollowsASymbolicLinkOutOfTheDirectory() throws Exception {
        Server server = startFileServer();
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret"), "not for clients");
        Files.createSymbolicLink(serverDir.resolve("link"), secret);
        Files.createSymbolicLink(serverDir.resolve("dirlink"), outside);
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            peer.get("link".getBytes(StandardCharsets.US_ASCII));
            assertEquals(FileRejectCode.NOT_FOUND, peer.expect(FilePeer.FILE_REJECT).code());
            peer.get("dirlink".getBytes(StandardCharsets.US_ASCII));
            assertEquals(FileRejectCode.NOT_FOUND, peer.expect(FilePeer.FILE_REJECT).code());
            // An upload under the link's name replaces the link, never writes through it.
            byte[] content = "uploaded".getBytes(StandardCharsets.US_ASCII);
            peer.offer(content.length, TestFiles.sha256(content), "link");
            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            peer.socket().sendRaw(content);
            assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
            peer.assertUsable();
        }
        assertEquals("not for clients", Files.readString(secret));
        assertFalse(Files.isSymbolicLink(serverDir.resolve("link")));
        assertEquals("uploaded", Files.readString(serverDir.resolve("link")));
    }

    @Test
    void aWrongChecksumGetsDoneOneAndNoFileUnderTheFinalName() throws Exception {
        Server server = startFileServer();
        Path source = TestFiles.create(Files.createDirectories(temp.resolve("src")).resolve("x"), 3 * MIB, 3);
        byte[] wrong = TestFiles.sha256(source);
        wrong[0] ^= 1;
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            peer.offer(3 * MIB, wrong, "checked.bin");
            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            peer.stream(source, 0, 3 * MIB);
            assertEquals(1, peer.expect(FilePeer.FILE_DONE).body().get(0));
            peer.assertUsable();
            // A mismatched file leaves nothing to resume from either.
            peer.offer(3 * MIB, wrong, "checked.bin");
            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            peer.stream(source, 0, 3 * MIB);
            assertEquals(1, peer.expect(FilePeer.FILE_DONE).body().get(0));
        }
        assertFalse(Files.exists(serverDir.resolve("checked.bin")));
    }

    /**
     * A large file is still being hashed when its last byte arrives: frames sent right behind it, in the same segment,
     * must be answered after its FILE_DONE, whatever the checksum says.
     */
    @Test
    void framesRightBehindALargeFilesLastByteAreAnsweredAfterItsDone() throws Exception {
        Server server = startFileServer();
        long size = 6 * MIB + 3;
        Path source = TestFiles.create(Files.createDirectories(temp.resolve("src")).resolve("x"), size, 13);
        byte[] sha256 = TestFiles.sha256(source);
        byte[] wrong = sha256.clone();
        wrong[5] ^= 1;
        byte[] tail = Arrays.copyOfRange(Files.readAllBytes(source), (int) size - 100, (int) size);
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            for (int round = 0; round < 6; round++) {
                boolean matches = round % 2 == 0;
                peer.offer(size, matches ? sha256 : wrong, "behind.bin");
                assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
                peer.stream(source, 0, size - 100);
                byte[] text = ("behind " + round).getBytes(StandardCharsets.UTF_8);
                ByteBuffer together = ByteBuffer.allocate(100 + 4 + 1 + text.length + 4 + 3);
                together.put(tail).putInt(1 + text.length).put((byte) FilePeer.TEXT).put(text);
                together.putInt(3).put((byte) FilePeer.PING).put((byte) round).put((byte) 9);
                peer.socket().sendRaw(together.array());
                assertEquals(matches ? 0 : 1, peer.expect(FilePeer.FILE_DONE).body().get(0), "round " + round);
                assertEquals(ByteBuffer.wrap(text), peer.expect(FilePeer.TEXT).body());
                assertEquals(ByteBuffer.wrap(new byte[]{(byte) round, 9}), peer.expect(0x03).body());
            }
        }
        assertArrayEquals(sha256, TestFiles.sha256(serverDir.resolve("behind.bin")));
    }

    /**
     * Peers that leave right after a large file's last byte, while it is still being hashed, sometimes with frames
     * behind it: each file is still verified and stored, and each connection ends once with nothing leaked.
     */
    @Test
    void peersLeavingWhileTheirFileIsHashedStillGetItStoredAndLeakNothing() throws Exception {
        serverDir = Files.createDirectories(temp.resolve("server"));
        LedgerFileHandler handler = serverHandler(new FileStore(serverDir, Long.MAX_VALUE));
        Server server = startServer(handler);
        long size = 3 * MIB + 1;
        Path source = TestFiles.create(Files.createDirectories(temp.resolve("src")).resolve("x"), size, 17);
        byte[] sha256 = TestFiles.sha256(source);
        java.util.Random random = new java.util.Random(19);
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            try (FilePeer peer = new FilePeer(server.localAddress())) {
                peer.offer(size, sha256, "left-" + round + ".bin");
                assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
                peer.stream(source, 0, size);
                if (random.nextBoolean()) {
                    peer.send(FilePeer.TEXT, "behind".getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            LedgerFileHandler.Received received = handler.received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(received, "file " + round + " of " + rounds + " reported");
            assertNull(received.error(), () -> received.offer().name() + ": " + received.error());
        }
        for (int round = 0; round < rounds; round++) {
            assertArrayEquals(sha256, TestFiles.sha256(serverDir.resolve("left-" + round + ".bin")));
        }
        awaitPoolEmpty(server);
    }

    /**
     * Eight peers at once, 25 uploads each, every one ending its own way: completed and answered, cut mid-stream,
     * left right after the last byte, or reset there. Every accepted upload is reported exactly once, every one that
     * was answered or left whole is stored intact, and the server keeps no buffer.
     */
    @Test
    void uploadsEndingAtRandomPointsOnParallelConnectionsLeakNothing() throws Exception {
        serverDir = Files.createDirectories(temp.resolve("server"));
        LedgerFileHandler handler = serverHandler(new FileStore(serverDir, Long.MAX_VALUE));
        Server server = startServer(handler);
        int peers = 8;
        int rounds = 25;
        Path[] sources = new Path[peers];
        byte[][] sha256 = new byte[peers][];
        for (int p = 0; p < peers; p++) {
            sources[p] = TestFiles.create(Files.createDirectories(temp.resolve("src")).resolve("peer-" + p),
                    2 * MIB + 1 + 4099L * p, 300 + p);
            sha256[p] = TestFiles.sha256(sources[p]);
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(peers);
        try {
            List<java.util.concurrent.Future<List<String>>> wholes = new ArrayList<>();
            for (int p = 0; p < peers; p++) {
                int peerIndex = p;
                wholes.add(threads.submit(() -> {
                    java.util.Random random = new java.util.Random(500 + peerIndex);
                    long size = Files.size(sources[peerIndex]);
                    List<String> whole = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        String name = "peer-" + peerIndex + "-" + round + ".bin";
                        try (FilePeer peer = new FilePeer(server.localAddress())) {
                            peer.offer(size, sha256[peerIndex], name);
                            assertEquals(0, peer.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
                            switch (random.nextInt(4)) {
                                case 0 -> {
                                    peer.stream(sources[peerIndex], 0, size);
                                    assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
                                    whole.add(name);
                                }
                                case 1 -> peer.stream(sources[peerIndex], 0, random.nextLong(size));
                                case 2 -> {
                                    peer.stream(sources[peerIndex], 0, size);
                                    whole.add(name);
                                }
                                default -> {
                                    peer.stream(sources[peerIndex], 0, size);
                                    peer.socket().reset();
                                }
                            }
                        }
                    }
                    return whole;
                }));
            }
            waitUntil(() -> handler.received.size() == peers * rounds, WAIT_SECONDS);
            assertEquals(peers * rounds, handler.received.size(), "every accepted upload reported once");
            for (int p = 0; p < peers; p++) {
                for (String name : wholes.get(p).get(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    assertArrayEquals(sha256[p], TestFiles.sha256(serverDir.resolve(name)), name);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        awaitPoolEmpty(server);
    }

    @Test
    void resumesAnInterruptedUploadAtTheOffsetHeld() throws Exception {
        Server server = startFileServer();
        long size = 5 * MIB + 77;
        long cut = 2 * MIB + 5;
        Path source = TestFiles.create(Files.createDirectories(temp.resolve("src")).resolve("x"), size, 5);
        byte[] sha256 = TestFiles.sha256(source);
        try (FilePeer first = new FilePeer(server.localAddress())) {
            first.offer(size, sha256, "resumed.bin");
            assertEquals(0, first.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            first.stream(source, 0, cut);
        }
        assertFalse(Files.exists(serverDir.resolve("resumed.bin")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (;;) {
            try (FilePeer again = new FilePeer(server.localAddress())) {
                again.offer(size, sha256, "resumed.bin");
                FilePeer.Frame answer = again.receive();
                if (answer.type() == FilePeer.FILE_REJECT && answer.code() == FileRejectCode.BUSY
                        && System.nanoTime() < deadline) {
                    // The server has not yet seen the first connection end.
                    Thread.sleep(20);
                    continue;
                }
                assertEquals(FilePeer.FILE_ACCEPT, answer.type());
                assertEquals(cut, answer.body().getLong(0));
                again.stream(source, cut, size);
                assertEquals(0, again.expect(FilePeer.FILE_DONE).body().get(0));
                break;
            }
        }
        assertArrayEquals(sha256, TestFiles.sha256(serverDir.resolve("resumed.bin")));
        try (var listing = Files.list(serverDir)) {
            assertEquals(List.of(serverDir.resolve("resumed.bin")), listing.toList(), "no partial file left");
        }
    }

    @Test
    void rejectsTooLargeAndBusyUploadsAndKeepsBothConnections() throws Exception {
        Server server = startFileServer(10 * MIB);
        try (FilePeer first = new FilePeer(server.localAddress());
             FilePeer second = new FilePeer(server.localAddress())) {
            first.offer(10 * MIB + 1, new byte[32], "big.bin");
            assertEquals(FileRejectCode.TOO_LARGE, first.expect(FilePeer.FILE_REJECT).code());
            first.assertUsable();
            first.offer(10 * MIB, new byte[32], "big.bin");
            assertEquals(0, first.expect(FilePeer.FILE_ACCEPT).body().getLong(0));
            second.offer(5, new byte[32], "big.bin");
            assertEquals(FileRejectCode.BUSY, second.expect(FilePeer.FILE_REJECT).code());
            second.assertUsable();
            second.get("missing".getBytes(StandardCharsets.US_ASCII));
            assertEquals(FileRejectCode.NOT_FOUND, second.expect(FilePeer.FILE_REJECT).code());
        }
    }

    @Test
    void answersFileMessagesOutOfPlaceWithErrorFiveAndMalformedOnesWithErrorFour() throws Exception {
        Server server = startFileServer();
        byte[][] unexpected = {{FilePeer.FILE_ACCEPT, 0, 0, 0, 0, 0, 0, 0, 0}, {FilePeer.FILE_REJECT, 0, 1},
                {FilePeer.FILE_DONE, 0}, {FilePeer.FILE_DONE, 1}, {FilePeer.FILE_CANCEL, 0, 0, 'x'}};
        byte[][] malformed = {{FilePeer.FILE_ACCEPT, 0, 0, 0, 0, 0, 0, 0}, {FilePeer.FILE_REJECT, 1},
                {FilePeer.FILE_DONE}, {FilePeer.FILE_DONE, 2}, {FilePeer.FILE_DONE, 0, 0}, {FilePeer.FILE_CANCEL, 1},
                {FilePeer.FILE_GET, 0}, {FilePeer.FILE_GET, 0, 2, 'a'}, {FilePeer.FILE_GET, 0, 1, 'a', 'b'},
                Arrays.copyOf(new byte[]{FilePeer.FILE_OFFER}, 42)};
        for (byte[][] group : new byte[][][]{unexpected, malformed}) {
            for (byte[] message : group) {
                try (FilePeer peer = new FilePeer(server.localAddress())) {
                    peer.socket().send(message);
                    FilePeer.Frame error = peer.expect(FilePeer.ERROR);
                    assertEquals(group == unexpected ? 5 : 4, error.code(), Arrays.toString(message));
                    assertTrue(peer.socket().readsEndOfStream(), Arrays.toString(message));
                }
            }
        }
    }

    @Test
    void aReceiverCancelsMidStreamAndTheSenderCloses() throws Exception {
        Server server = startFileServer();
        TestFiles.create(serverDir.resolve("long.bin"), 64 * MIB, 9);
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            peer.get("long.bin".getBytes(StandardCharsets.US_ASCII));
            assertEquals(64 * MIB, peer.expect(FilePeer.FILE_OFFER).body().getLong(0));
            peer.send(FilePeer.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(0).array());
            peer.readRaw(1 << 20);
            peer.send(FilePeer.FILE_CANCEL, new byte[]{0, 0, 'n', 'o'});
            assertTrue(drainsToEnd(peer, 64 * MIB), "the sender closes the connection");
        }
        // An iocp4j receiver cancels through its handle; the sender closes, and nothing is stored.
        LedgerFileHandler client = clientHandler(new LinkedBlockingQueue<>());
        Connection connection = await(startClient(client).connect(server.localAddress()));
        FileTransfer download = FileTransfers.of(connection).request("long.bin");
        FileTransfer started = client.started.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(started != null);
        started.cancel();
        assertEquals(FileTransferException.Kind.CANCELLED, failure(download).kind());
        assertFalse(Files.exists(clientDir.resolve("long.bin")));
        closeThenAwaitPoolEmpty(server, connection);
    }

    /** Closes the connections; with none left open, every lease of the server's pool comes back. */
    private static void closeThenAwaitPoolEmpty(Server server, Connection... connections) throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        awaitPoolEmpty(server);
    }

    /** Reads until the peer closes; false if more than {@code limit} bytes came first. */
    private static boolean drainsToEnd(FilePeer peer, long limit) throws IOException {
        var in = peer.socket().socket().getInputStream();
        byte[] sink = new byte[1 << 16];
        long total = 0;
        try {
            int read;
            while ((read = in.read(sink)) >= 0) {
                total += read;
                if (total > limit) {
                    return false;
                }
            }
        } catch (java.net.SocketException reset) {
            return true;
        }
        return true;
    }

    @Test
    void twentyTransfersStreamWhileTwoHundredConnectionsEchoText() throws Exception {
        Server server = startFileServer();
        int rounds = 20;
        java.util.concurrent.CountDownLatch echoedAll = new java.util.concurrent.CountDownLatch(200);
        // One client for both kinds, so its ledger sees each connection once: TEXT connections carry a counter.
        LedgerFileHandler handler = new LedgerFileHandler(new LedgerHandler(clientLedger, (connection, packet) -> {
            int[] count = (int[]) connection.attachment();
            if (++count[0] == rounds) {
                echoedAll.countDown();
            } else {
                connection.send(packet);
            }
        }), new FileStore(clientDir, Long.MAX_VALUE));
        Client client = startClient(handler);
        List<Connection> connections = new ArrayList<>();
        List<FileTransfer> running = new ArrayList<>();
        List<Path> uploaded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path source = TestFiles.create(sources.resolve("concurrent-" + i), 4 * MIB + i, 100 + i);
            uploaded.add(source);
            Connection connection = await(client.connect(server.localAddress()));
            connections.add(connection);
            running.add(FileTransfers.of(connection).send(source));
        }
        for (int i = 0; i < 200; i++) {
            Connection connection = await(client.connect(server.localAddress()));
            connections.add(connection);
            connection.attach(new int[1]);
            connection.send(ByteBuffer.wrap(("\u0001text from " + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(echoedAll.await(WAIT_SECONDS, TimeUnit.SECONDS), "every TEXT connection got all its echoes");
        for (int i = 0; i < 20; i++) {
            await(running.get(i).result());
            assertArrayEquals(TestFiles.sha256(uploaded.get(i)),
                    TestFiles.sha256(serverDir.resolve(uploaded.get(i).getFileName())));
        }
        closeThenAwaitPoolEmpty(server, connections.toArray(Connection[]::new));
    }
}
