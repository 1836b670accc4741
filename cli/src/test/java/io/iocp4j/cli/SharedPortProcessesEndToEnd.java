package io.iocp4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two demo server processes on one port with {@code --reuse-port}. They differ only in their largest frame, so that
 * a frame between the two limits tells which process took a connection: the one with the small limit answers
 * ERROR, the other echoes. Each transport runs it through a subclass naming the transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class SharedPortProcessesEndToEnd {
    private static final int SMALL_MAX_FRAME = 64;
    private static final int LARGE_MAX_FRAME = 4096;
    private static final int PROBE_BODY = 1000;
    /** The kernel picks a listener by a hash of each connection's addresses: this many cannot all miss one. */
    private static final int MAX_ATTEMPTS = 400;
    private static final int AFTER_STOP = 50;

    /** The value of {@code --transport} under test. */
    protected abstract String transport();

    @Test
    void twoProcessesOnOnePortBothTakeConnectionsAndOneServesOnWhenTheOtherStops() throws Exception {
        try (ServerProcess small = ServerProcess.start(serverArgs(0, SMALL_MAX_FRAME));
             ServerProcess large = ServerProcess.start(serverArgs(small.packetPort, LARGE_MAX_FRAME))) {
            assertEquals(small.packetPort, large.packetPort);
            assertTrue(large.readyLine.endsWith(", ports shared"), large.readyLine);
            int bySmall = 0;
            int made = 0;
            while (made < MAX_ATTEMPTS && (bySmall == 0 || bySmall == made)) {
                if (servedBySmallLimit(small.packetPort)) {
                    bySmall++;
                }
                made++;
            }
            int bySmallNow = bySmall;
            int madeNow = made;
            assertTrue(bySmall > 0 && bySmall < made, () -> "of " + madeNow + " connections, the process with pid "
                    + small.pid() + " took " + bySmallNow + " and the one with pid " + large.pid() + " the rest");

            assertEquals(Main.OK, small.terminate(), "a graceful stop on SIGTERM");
            for (int i = 0; i < AFTER_STOP; i++) {
                assertFalse(servedBySmallLimit(large.packetPort), "connection " + i + " after pid " + small.pid()
                        + " stopped");
            }
        }
    }

    @Test
    void aProcessWithoutReusePortCannotTakeASharedPort() throws Exception {
        try (ServerProcess shared = ServerProcess.start(serverArgs(0, LARGE_MAX_FRAME))) {
            ServerProcess.Outcome refused = ServerProcess.run(new byte[0], "server", "--port",
                    String.valueOf(shared.packetPort), "--raw-echo-port", "0", "--transport", transport());
            assertNotEquals(Main.OK, refused.exitCode());
            assertTrue(refused.stderr().contains("cannot listen on 127.0.0.1:" + shared.packetPort),
                    refused.stderr());
            assertFalse(servedBySmallLimit(shared.packetPort), "the sharing process still serves");
        }
    }

    private String[] serverArgs(int port, int maxFrame) {
        return new String[]{"server", "--port", String.valueOf(port), "--raw-echo-port", "0", "--transport",
                transport(), "--io-threads", "2", "--max-frame", String.valueOf(maxFrame), "--reuse-port"};
    }

    /** True when the frame is refused as too long (the small limit's process), false when it comes back. */
    private static boolean servedBySmallLimit(int port) throws IOException {
        byte[] body = new byte[PROBE_BODY];
        Arrays.fill(body, (byte) 'x');
        try (WireClient client = new WireClient(port)) {
            client.send(MessageType.TEXT, body);
            WireClient.Frame reply = client.receive();
            if (reply.type() == MessageType.ERROR) {
                return true;
            }
            assertEquals(MessageType.TEXT, reply.type());
            assertArrayEquals(body, reply.body());
            return false;
        }
    }
}
