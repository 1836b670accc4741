package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.SendQueue;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.UserData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifetime rule, stepped by hand: every completion is delivered by the test, in the order it chooses. */
class ConnectionLifetimeTest {
    private final BufferPool pool = new BufferPool(1 << 20, true);
    private final ManualTransport transport = new ManualTransport();
    private final List<String> events = new ArrayList<>();
    private Engine engine;
    private ManualTransport.ManualPort port;

    private final Handler handler = new Handler() {
        @Override
        public void onConnect(Connection connection) {
            events.add("connect " + connection.id());
        }

        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
            events.add("packet " + connection.id() + " " + packet.remaining());
            connection.send(packet);
        }

        @Override
        public void onDisconnect(Connection connection, CloseReason reason) {
            events.add("disconnect " + connection.id() + " " + reason);
        }
    };

    @BeforeEach
    void startEngineWithOneSlot() throws Exception {
        // One slot: the second connection reuses the first one's slot with the next generation.
        engine = new Engine(transport, "test", 1, pool, 1);
        port = transport.port;
        engine.listen(new InetSocketAddress("127.0.0.1", 7000), 16, false,
                new Endpoint(Framing.lengthPrefixed(2, 1000), handler));
    }

    @AfterEach
    void everyLeaseCameBack() {
        assertEquals(0, pool.leasesOutstanding(), () -> "leases taken at " + pool.outstandingLeaseSites());
    }

    @Test
    void releasesOnlyAfterTheLastOperationCompletes() {
        port.accept();
        ManualTransport.Submitted receive = transport.take("receive");
        port.receive(receive.userData(), new byte[]{0, 3, 'a', 'b', 'c'});
        ManualTransport.Submitted write = transport.take("write:5");
        ManualTransport.Submitted rearmed = transport.take("receive");

        engine.connections().getFirst().close();
        port.runTasks();
        ManualTransport.Submitted close = transport.take("close");
        port.complete(close.userData(), 0, null);
        assertEquals(1, engine.connectionCount(), "a write and a receive are still in flight");
        port.complete(write.userData(), 5, null);
        assertEquals(1, engine.connectionCount(), "the receive is still in flight");
        port.complete(rearmed.userData(), -Errno.ECANCELED, pool.lease(64));

        assertEquals(0, engine.connectionCount());
        assertEquals(List.of("connect 1", "packet 1 3", "disconnect 1 CLOSED_LOCALLY"), events);
    }

    @Test
    void ignoresAndCountsACompletionMeantForTheSlotsEarlierTenant() {
        port.accept();
        ManualTransport.Submitted oldReceive = transport.take("receive");
        port.complete(oldReceive.userData(), 0, pool.lease(64));
        port.complete(transport.take("close").userData(), 0, null);
        assertEquals(List.of("connect 1", "disconnect 1 PEER_CLOSED"), events);

        port.accept();
        ManualTransport.Submitted newReceive = transport.take("receive");
        assertEquals(UserData.slot(oldReceive.userData()), UserData.slot(newReceive.userData()), "slot reused");
        assertNotEquals(UserData.generation(oldReceive.userData()), UserData.generation(newReceive.userData()));

        // A late duplicate of the first tenant's receive, carrying bytes: it must not reach connection 2.
        port.receive(oldReceive.userData(), new byte[]{0, 1, 'x'});
        assertEquals(1, engine.staleCompletions());
        assertEquals(List.of("connect 1", "disconnect 1 PEER_CLOSED", "connect 2"), events);

        port.receive(newReceive.userData(), new byte[]{0, 1, 'y'});
        assertEquals("packet 2 1", events.getLast());
        engine.connections().getFirst().close();
        port.runTasks();
        drainEverything();
        assertEquals("disconnect 2 CLOSED_LOCALLY", events.getLast());
    }

    @Test
    void aSendAfterCloseIsRefusedAndKeepsNothing() {
        port.accept();
        Connection connection = engine.connections().getFirst();
        connection.close();
        assertFalse(connection.isOpen());
        assertFalse(connection.send(ByteBuffer.wrap(new byte[]{1})));
        port.runTasks();
        drainEverything();
        assertFalse(connection.send(ByteBuffer.wrap(new byte[]{2})));
        assertEquals(List.of("connect 1", "disconnect 1 CLOSED_LOCALLY"), events);
    }

    @Test
    void sendsQueuedBeforeCloseAfterFlushAreWrittenThenTheSocketCloses() {
        port.accept();
        Connection connection = engine.connections().getFirst();
        assertTrue(connection.send(ByteBuffer.wrap(new byte[]{1, 2})));
        assertTrue(connection.send(ByteBuffer.wrap(new byte[]{3})));
        connection.closeAfterFlush();
        port.runTasks();
        ManualTransport.Submitted write = transport.take("write:7");
        assertEquals(2 * (64 + SendQueue.ENTRY_OVERHEAD), connection.queuedBytes(),
                "buffers in flight count as queued, by the memory they hold");
        port.complete(write.userData(), 7, null);
        ManualTransport.Submitted close = transport.take("close");
        assertEquals(0, connection.queuedBytes());
        port.complete(close.userData(), 0, null);
        port.complete(transport.take("receive").userData(), -Errno.ECANCELED, pool.lease(16));
        assertEquals(List.of("connect 1", "disconnect 1 CLOSED_LOCALLY"), events);
    }

    @Test
    void aShortWriteIsContinuedBeforeAnythingQueuedLater() {
        ManualTransport.ManualSocket socket = port.accept();
        Connection connection = engine.connections().getFirst();
        socket.room = 2;
        connection.send(ByteBuffer.wrap(new byte[]{1, 2, 3, 4}));
        port.runTasks();
        ManualTransport.Submitted first = transport.take("write:2");
        socket.room = Integer.MAX_VALUE;
        connection.send(ByteBuffer.wrap(new byte[]{9}));
        port.runTasks();
        assertTrue(transport.submitted.stream().noneMatch(op -> op.kind().startsWith("write")),
                "one write in flight at a time");
        port.complete(first.userData(), 2, null);
        ManualTransport.Submitted rest = transport.take("write:7");
        assertArrayEquals(new byte[]{0, 4, 1, 2, 3, 4, 0, 1, 9}, flatten(socket.written),
                "the header, the rest of the first packet, then the second packet");
        port.complete(rest.userData(), 7, null);
        assertEquals(0, connection.queuedBytes());
        connection.close();
        port.runTasks();
        drainEverything();
        assertEquals(0, engine.connectionCount());
    }

    private static byte[] flatten(List<byte[]> pieces) {
        int total = pieces.stream().mapToInt(piece -> piece.length).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        pieces.forEach(all::put);
        return all.array();
    }

    /** Completes everything still submitted as a closing socket would: cancelled receives, finished closes. */
    private void drainEverything() {
        while (!transport.submitted.isEmpty()) {
            ManualTransport.Submitted op = transport.submitted.removeFirst();
            if (op.kind().equals("receive")) {
                port.complete(op.userData(), -Errno.ECANCELED, pool.lease(16));
            } else if (op.kind().startsWith("write")) {
                port.complete(op.userData(), -Errno.ECANCELED, null);
            } else {
                port.complete(op.userData(), 0, null);
            }
        }
    }
}
