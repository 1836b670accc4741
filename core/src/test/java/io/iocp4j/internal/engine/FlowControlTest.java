package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.FlowSettings;
import io.iocp4j.internal.connection.SendQueue;
import io.iocp4j.job.Ordering;
import io.iocp4j.job.WorkerPool;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.UserData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-pressure, writability and jobs, stepped by hand: the test is the port thread, completes every operation
 * itself, and runs the job pool's tasks when it chooses (the pool has no threads of its own).
 */
class FlowControlTest {
    private final BufferPool pool = new BufferPool(1 << 20, true);
    private final ManualTransport transport = new ManualTransport();
    private final List<String> events = new ArrayList<>();
    private final WorkerPool jobs = new WorkerPool("manual-", 0, 100);
    private Engine engine;
    private ManualTransport.ManualPort port;
    /** Runs inside a packet's handler call, after its echo was sent; for the ordered-replies test. */
    private Runnable duringFirstPacket = () -> { };

    private final Handler handler = new Handler() {
        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
            events.add("packet " + packet.get(packet.position()));
            connection.send(packet);
            if (packet.get(packet.position()) == 1) {
                duringFirstPacket.run();
            }
        }

        @Override
        public void onWritable(Connection connection) {
            events.add("writable");
        }

        @Override
        public void onDisconnect(Connection connection, CloseReason reason) {
            events.add("disconnect " + reason);
        }
    };

    private void start(FlowSettings flow, boolean onPool) throws Exception {
        engine = new Engine(transport, "test", 1, pool, 16, flow, onPool ? jobs : null);
        port = transport.port;
        engine.listen(new InetSocketAddress("127.0.0.1", 7000), 16, false,
                new Endpoint(Framing.lengthPrefixed(2, 1000), handler));
    }

    private static FlowSettings onWorkers(Ordering ordering, int maxPendingJobs) {
        return FlowSettings.DEFAULTS.withWorkers(1).withOrdering(ordering).withJobLimits(100, maxPendingJobs);
    }

    @AfterEach
    void everyLeaseCameBack() {
        assertEquals(0, jobs.queuedJobs(), "budget given back");
        assertEquals(0, pool.leasesOutstanding(), () -> "leases taken at " + pool.outstandingLeaseSites());
    }

    @Test
    void readingPausesWhileAConnectionHasTooManyJobsAndResumesWithNothingLost() throws Exception {
        start(onWorkers(Ordering.PER_CONNECTION, 2), true);
        ManualTransport.ManualSocket socket = port.accept();
        port.receive(transport.take("receive").userData(), frames(1, 2, 3, 4, 5));
        assertEquals(2, jobs.queuedJobs(), "two packets taken, the rest kept");
        assertNoReceiveInFlight();

        jobs.runQueued();
        port.runTasks();
        assertEquals(List.of("packet 1", "packet 2"), events);
        assertEquals(2, jobs.queuedJobs(), "resumed: packets 3 and 4 taken from what was kept");
        assertNoReceiveInFlight();

        jobs.runQueued();
        port.runTasks();
        jobs.runQueued();
        port.runTasks();
        assertEquals(List.of("packet 1", "packet 2", "packet 3", "packet 4", "packet 5"), events);
        assertReceiveInFlight();
        assertArrayEquals(frames(1, 2, 3, 4, 5), writeEverything(socket), "echoes in order");
        closeAndDrain();
    }

    @Test
    void aMultishotReceiveIsCancelledOnPauseAndTheBytesStillArrivingAreKeptInOrder() throws Exception {
        start(onWorkers(Ordering.PER_CONNECTION, 2), true);
        ManualTransport.ManualSocket socket = port.accept();
        long receive = transport.take("receive").userData();
        port.receive(receive, frames(1, 2, 3), UserData.F_MORE);
        transport.take("cancelReceive");
        port.receive(receive, frames(4, 5), UserData.F_MORE);
        port.complete(receive, -Errno.ECANCELED, 0, null);
        assertEquals(2, jobs.queuedJobs());
        assertNoReceiveInFlight();

        for (int round = 0; round < 3; round++) {
            jobs.runQueued();
            port.runTasks();
        }
        assertEquals(List.of("packet 1", "packet 2", "packet 3", "packet 4", "packet 5"), events);
        assertReceiveInFlight();
        assertArrayEquals(frames(1, 2, 3, 4, 5), writeEverything(socket));
        closeAndDrain();
    }

    @Test
    void theEndOfStreamBehindKeptBytesClosesOnlyAfterThemAndTheirReplies() throws Exception {
        start(onWorkers(Ordering.ORDERED_REPLIES, 2), true);
        ManualTransport.ManualSocket socket = port.accept();
        long receive = transport.take("receive").userData();
        port.receive(receive, frames(1, 2, 3), UserData.F_MORE);
        transport.take("cancelReceive");
        port.complete(receive, 0, 0, pool.lease(16));
        for (int round = 0; round < 3; round++) {
            jobs.runQueued();
            port.runTasks();
        }
        assertArrayEquals(frames(1, 2, 3), writeEverything(socket));
        port.complete(transport.take("close").userData(), 0, null);
        assertEquals(List.of("packet 1", "packet 2", "packet 3", "disconnect PEER_CLOSED"), events);
    }

    @Test
    void aReplyOfALaterPacketWaitsForTheRepliesOfEarlierOnes() throws Exception {
        start(onWorkers(Ordering.ORDERED_REPLIES, 8), true);
        ManualTransport.ManualSocket socket = port.accept();
        // Packet 2's job runs to its end while packet 1's handler is still running.
        duringFirstPacket = () -> {
            jobs.runQueued();
            port.runTasks();
            events.add("queued " + engine.connections().getFirst().queuedBytes());
            assertTrue(transport.submitted.stream().noneMatch(op -> op.kind().startsWith("write")),
                    "packet 2's reply is held, not written");
        };
        port.receive(transport.take("receive").userData(), frames(1, 2));
        jobs.runQueued();
        port.runTasks();
        assertEquals(List.of("packet 1", "packet 2", "queued 6"), events);
        assertArrayEquals(frames(1, 2), writeEverything(socket), "packet 1's reply first");
        closeAndDrain();
    }

    /** What one small echo holds in the send queue: its pooled buffer of the smallest class, and its entry. */
    private static final long ECHO_MEMORY = 64 + SendQueue.ENTRY_OVERHEAD;

    @Test
    void aSendQueueOverTheHighWatermarkStopsReadingUntilWritesDrainIt() throws Exception {
        // Each echo holds a 64-byte pooled buffer and its entry: the second one passes the high watermark.
        start(FlowSettings.DEFAULTS.withWatermarks(ECHO_MEMORY / 2, ECHO_MEMORY + ECHO_MEMORY / 2), false);
        ManualTransport.ManualSocket socket = port.accept();
        Connection connection = engine.connections().getFirst();
        port.receive(transport.take("receive").userData(), frames(1, 2, 3));
        assertEquals(List.of("packet 1", "packet 2"), events, "the second echo passed the high watermark");
        assertFalse(connection.isWritable());
        assertNoReceiveInFlight();

        port.complete(transport.take("write:6").userData(), 6, null);
        assertEquals(List.of("packet 1", "packet 2", "writable", "packet 3"), events);
        assertTrue(connection.isWritable());
        assertReceiveInFlight();
        assertArrayEquals(frames(1, 2, 3), writeEverything(socket));
        closeAndDrain();
    }

    @Test
    void pastTheCapAConnectionIsClosedAsASlowConsumer() throws Exception {
        start(FlowSettings.DEFAULTS.withWatermarks(ECHO_MEMORY / 4, ECHO_MEMORY + ECHO_MEMORY / 4)
                .withMaxQueuedBytes(ECHO_MEMORY + ECHO_MEMORY / 2), false);
        port.accept();
        port.receive(transport.take("receive").userData(), frames(1, 2, 3));
        assertEquals(List.of("packet 1", "packet 2"), events, "the second echo passed the cap; nothing more is read");
        assertNoReceiveInFlight();
        port.complete(transport.take("close").userData(), 0, null);
        assertEquals(List.of("packet 1", "packet 2", "disconnect SLOW_CONSUMER"), events);
    }

    @Test
    void pendingJobsKeepTheConnectionUntilTheLastIsReleasedUnhandled() throws Exception {
        start(onWorkers(Ordering.PER_CONNECTION, 4), true);
        port.accept();
        port.receive(transport.take("receive").userData(), frames(1));
        engine.connections().getFirst().close();
        port.runTasks();
        port.complete(transport.take("close").userData(), 0, null);
        port.complete(transport.take("receive").userData(), -Errno.ECANCELED, pool.lease(16));
        assertEquals(1, engine.connectionCount(), "the pending job holds the connection");
        jobs.runQueued();
        assertEquals(1, engine.connectionCount(), "released on the port thread, not the worker");
        port.runTasks();
        assertEquals(0, engine.connectionCount());
        assertEquals(List.of("disconnect CLOSED_LOCALLY"), events, "a closed connection's packet is not handled");
    }

    private void assertReceiveInFlight() {
        assertTrue(transport.submitted.stream().anyMatch(op -> op.kind().equals("receive")),
                () -> "reading should have resumed: " + transport.submitted);
    }

    private void assertNoReceiveInFlight() {
        assertTrue(transport.submitted.stream().noneMatch(op -> op.kind().equals("receive")),
                () -> "reading should have paused: " + transport.submitted);
    }

    /** Completes every write, one after another, and returns all the bytes written since the last call. */
    private byte[] writeEverything(ManualTransport.ManualSocket socket) {
        port.runTasks();
        for (;;) {
            ManualTransport.Submitted write = transport.submitted.stream()
                    .filter(op -> op.kind().startsWith("write:")).findFirst().orElse(null);
            if (write == null) {
                break;
            }
            transport.submitted.remove(write);
            port.complete(write.userData(), Integer.parseInt(write.kind().substring(6)), null);
        }
        byte[] all = flatten(socket.written);
        socket.written.clear();
        return all;
    }

    private void closeAndDrain() {
        engine.connections().getFirst().close();
        port.runTasks();
        while (!transport.submitted.isEmpty()) {
            ManualTransport.Submitted op = transport.submitted.removeFirst();
            switch (op.kind()) {
                case "receive" -> port.complete(op.userData(), -Errno.ECANCELED, pool.lease(16));
                case "cancelReceive" -> { }
                default -> port.complete(op.userData(), op.kind().startsWith("write") ? -Errno.ECANCELED : 0,
                        null);
            }
        }
        jobs.runQueued();
        port.runTasks();
        assertEquals(0, engine.connectionCount());
    }

    /** Frames of one byte each, 2-byte length header first. */
    private static byte[] frames(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int value : values) {
            out.writeBytes(new byte[]{0, 1, (byte) value});
        }
        return out.toByteArray();
    }

    private static byte[] flatten(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
