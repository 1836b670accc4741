package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle and write-stall timeouts, on a {@link ManualClock}: the test moves time and waits for the sweeps that saw it,
 * so what is asserted is where in the timeout's window a connection is closed, whatever the machine's speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TimeoutContract extends ContractSupport {
    private static final byte[] IDLE = "IDLE".getBytes(StandardCharsets.US_ASCII);
    private static final Duration STEP = Duration.ofSeconds(2);

    @Test
    void anIdleConnectionIsClosedWithinItsWindowWhileAPingingOneStaysOpen() throws Exception {
        ManualClock clock = new ManualClock();
        Server server = start(serverBuilder(LedgerHandler.echo(serverLedger)
                .whenIdleTimeout(connection -> connection.send(ByteBuffer.wrap(IDLE))), 1)
                .idleTimeout(Duration.ofSeconds(10))
                .timeoutCheckInterval(Duration.ofMillis(5))
                .clock(clock));
        try (FrameSocket idle = AdmissionContract.echoing(server, null, 1);
             FrameSocket pinging = AdmissionContract.echoing(server, null, 2)) {
            // A sweep sees activity when it runs: let one see both echoes at time 0 before time moves.
            clock.awaitReads(2);
            // The idle peer's last byte went out at time 0; four steps of 2 s later it is 8 s quiet: not yet idle.
            for (int step = 0; step < 4; step++) {
                AdmissionContract.assertEchoes(pinging, "ping " + step);
                clock.advanceAndSweep(STEP);
            }
            assertEquals(0, serverLedger.disconnectCount(), "closed before 10 s without a byte");
            AdmissionContract.assertEchoes(pinging, "ping 4");
            clock.advanceAndSweep(STEP);
            // 10 s quiet, seen by a whole sweep: the last word, then the close.
            assertArrayEquals(IDLE, idle.receive());
            assertTrue(idle.readsEndOfStream());
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS));
            assertEquals(1, serverLedger.reasonCount(CloseReason.IDLE_TIMEOUT));
            for (int step = 5; step < 12; step++) {
                AdmissionContract.assertEchoes(pinging, "ping " + step);
                clock.advanceAndSweep(STEP);
            }
            AdmissionContract.assertEchoes(pinging, "pinging for 24 s and still open");
            assertEquals(1, serverLedger.disconnectCount());
        }
    }

    @Test
    void aStalledReaderIsClosedByTheWriteTimeoutWithoutHoldingUpAFastOne() throws Exception {
        ManualClock clock = new ManualClock();
        int chunk = 64 << 10;
        int chunks = 256;
        Server server = start(serverBuilder(new LedgerHandler(serverLedger, (connection, packet) -> {
            // Far more than the kernel's socket buffers hold, so some of it stays queued for a peer that reads none.
            for (int i = 0; i < chunks; i++) {
                connection.send(ByteBuffer.allocate(chunk));
            }
        }), 1)
                .writeTimeout(Duration.ofSeconds(5))
                .timeoutCheckInterval(Duration.ofMillis(5))
                .clock(clock));
        try (FrameSocket slow = new FrameSocket(server.localAddress(), 4096);
             FrameSocket fast = new FrameSocket(server.localAddress())) {
            slow.send(new byte[]{1});
            fast.send(new byte[]{2});
            for (int i = 0; i < chunks; i++) {
                assertEquals(chunk, fast.receive().length, "fast peer's chunk " + i);
            }
            assertEquals(0, serverLedger.disconnectCount(), "time has not moved: no one is closed yet");
            // Each step is seen by a whole sweep; 5 s without a byte taken closes the slow peer within 3 steps of
            // the queue standing still (its last bytes may still trickle into its tiny window at first).
            int steps = 0;
            while (serverLedger.disconnectCount() == 0 && steps < 100) {
                clock.advanceAndSweep(STEP);
                steps++;
            }
            assertTrue(serverLedger.awaitDisconnects(1, 10, TimeUnit.SECONDS), "slow peer closed");
            assertEquals(1, serverLedger.reasonCount(CloseReason.WRITE_TIMEOUT));
            assertTrue(steps >= 3, "closed after " + steps + " steps of 2 s; the timeout is 5 s");
            // The fast peer's queue is empty: time passing does not close it.
            clock.advanceAndSweep(Duration.ofSeconds(60));
            fast.send(new byte[]{3});
            for (int i = 0; i < chunks; i++) {
                assertEquals(chunk, fast.receive().length, "fast peer's second round, chunk " + i);
            }
            assertEquals(1, serverLedger.disconnectCount());
            assertFalse(readsAllWithoutEnd(slow, chunk * chunks), "slow peer's stream ends short");
        }
        awaitPoolEmpty(server);
    }

    /** Reads a stalled peer's frames until end of stream; true only if all {@code total} bytes arrived. */
    private static boolean readsAllWithoutEnd(FrameSocket socket, long total) {
        long read = 0;
        try {
            byte[] frame;
            while ((frame = socket.receive()) != null) {
                read += frame.length;
            }
        } catch (IOException reset) {
            // The server closed with bytes unsent: a reset is as good an end as a FIN.
        }
        return read >= total;
    }
}
