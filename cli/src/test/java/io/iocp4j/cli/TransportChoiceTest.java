package io.iocp4j.cli;

import io.iocp4j.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the program picks its transport, and what it says about the choice. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportChoiceTest {
    /** Makes the io_uring probe fail, as a kernel without io_uring or a seccomp filter would. */
    private static final List<String> URING_OFF = List.of("-Diocp4j.uring.disable=true");
    private static final String OFF_REASON = "turned off by the system property iocp4j.uring.disable";

    @Test
    void autoPicksIoUringWhereTheKernelHasItAndSaysSo() throws Exception {
        Assumptions.assumeTrue(Transport.URING.unavailableReason().isEmpty(), "io_uring unavailable here");
        try (ServerProcess server = ServerProcess.start("server", "--port", "0", "--transport", "auto")) {
            assertEquals("uring", server.transport);
            assertEquals(0, server.terminate());
            assertTrue(server.stderr().contains("transport uring (Linux "), server.stderr());
        }
    }

    @Test
    void autoFallsBackToNio2AndSaysWhy() throws Exception {
        try (ServerProcess server = ServerProcess.start(URING_OFF, "server", "--port", "0")) {
            assertEquals("nio2", server.transport);
            assertEquals(0, server.terminate());
            assertTrue(server.stderr().contains("transport nio2 (uring: " + OFF_REASON + ")"), server.stderr());
        }
    }

    @Test
    void refusesIoUringWhereItCannotRunAndSaysWhyInOneLine() throws Exception {
        ServerProcess.Outcome refused = ServerProcess.run(URING_OFF, new byte[0], "server", "--port", "0",
                "--transport", "uring");
        assertEquals(1, refused.exitCode());
        assertEquals("iocp4j: transport uring is not available here: " + OFF_REASON + "\n", refused.stderr());
    }

    @Test
    void refusesAnUnknownFlagAsBadUsage() throws Exception {
        ServerProcess.Outcome bad = ServerProcess.run(new byte[0], "server", "--no-such-flag");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().startsWith("iocp4j: Unknown option: '--no-such-flag'\n"), bad.stderr());
    }
}
