package io.iocp4j.testkit;

import io.iocp4j.Server;
import io.iocp4j.file.FileStore;
import io.iocp4j.job.Ordering;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * File messages with handlers on workers: the packets before a file message are handled, and their replies sent,
 * before the file message is answered, whatever the ordering; nothing after it overtakes it. The peer is a plain
 * blocking socket that reads every frame in the order it arrives.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class FileOnWorkersContract extends ContractSupport {
    private static final int TEXTS_BEFORE = 24;
    private static final int ROUNDS = 6;

    @TempDir
    Path temp;

    @Override
    protected int workers() {
        return 3;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Ordering.class)
    void fileMessagesKeepTheirPlaceAmongPacketsWithHandlersOnWorkers(Ordering ordering) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(ordering.name()));
        byte[] served = Files.readAllBytes(TestFiles.create(dir.resolve("served.bin"), 70_000, 3));
        // Large enough to be hashed aside, so that its end is settled off the port.
        byte[] uploaded = Files.readAllBytes(TestFiles.create(temp.resolve(ordering + "-upload.bin"),
                (3 << 20) + 5, 4));
        // Handlers that take a little while, so that packets are still pending on the workers when the file
        // message behind them is decoded.
        LedgerFileHandler handler = new LedgerFileHandler(new LedgerHandler(serverLedger, (connection, packet) -> {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 1_500_000));
            FilePeer.answer(connection, packet);
        }), new FileStore(dir, Long.MAX_VALUE));
        Server server = start(serverBuilder(handler, 2).ordering(ordering));
        try (FilePeer peer = new FilePeer(server.localAddress())) {
            for (int round = 0; round < ROUNDS; round++) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < TEXTS_BEFORE; i++) {
                    texts.add(ordering + " round " + round + " text " + i);
                    peer.send(FilePeer.TEXT, texts.getLast().getBytes(StandardCharsets.UTF_8));
                }
                String name = "up-" + round + ".bin";
                if (round % 2 == 0) {
                    peer.offer(uploaded.length, TestFiles.sha256(uploaded), name);
                    assertEchoesThen(peer, texts, ordering, FilePeer.FILE_ACCEPT);
                    // Packets right behind the file's last byte, in the same write: answered after its FILE_DONE.
                    List<String> behind = new ArrayList<>();
                    ByteArrayOutputStream together = new ByteArrayOutputStream();
                    together.write(uploaded);
                    for (int i = 0; i < TEXTS_BEFORE; i++) {
                        behind.add(ordering + " round " + round + " behind " + i);
                        byte[] text = behind.getLast().getBytes(StandardCharsets.UTF_8);
                        together.write(ByteBuffer.allocate(5 + text.length).putInt(1 + text.length)
                                .put((byte) FilePeer.TEXT).put(text).array());
                    }
                    peer.socket().sendRaw(together.toByteArray());
                    assertEquals(0, peer.expect(FilePeer.FILE_DONE).body().get(0));
                    assertEchoes(peer, behind, ordering);
                    assertArrayEquals(uploaded, Files.readAllBytes(dir.resolve(name)));
                } else {
                    peer.get("served.bin".getBytes(StandardCharsets.UTF_8));
                    FilePeer.Frame offer = assertEchoesThen(peer, texts, ordering, FilePeer.FILE_OFFER);
                    assertEquals(served.length, offer.body().getLong(0));
                    peer.send(FilePeer.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(0).array());
                    assertArrayEquals(served, peer.readRaw(served.length));
                    peer.send(FilePeer.FILE_DONE, new byte[]{0});
                }
            }
            peer.assertUsable();
        }
    }

    /**
     * Every echo of {@code texts} (in their order, unless the ordering lets replies pass each other), then a frame of
     * {@code type}, which is returned.
     */
    private static FilePeer.Frame assertEchoesThen(FilePeer peer, List<String> texts, Ordering ordering, int type)
            throws Exception {
        assertEchoes(peer, texts, ordering);
        return peer.expect(type);
    }

    /** The next frames are the echoes of {@code texts}, in their order unless the ordering lets replies pass. */
    private static void assertEchoes(FilePeer peer, List<String> texts, Ordering ordering) throws Exception {
        List<String> echoed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            FilePeer.Frame frame = peer.receive();
            assertEquals(FilePeer.TEXT, frame.type(), () -> "a frame of type 0x" + Integer.toHexString(frame.type())
                    + " came before the echo of every packet expected first; echoes so far: " + echoed);
            echoed.add(StandardCharsets.UTF_8.decode(frame.body()).toString());
        }
        if (ordering == Ordering.UNORDERED) {
            assertEquals(Set.copyOf(texts), new HashSet<>(echoed));
        } else {
            assertEquals(texts, echoed);
        }
    }
}
