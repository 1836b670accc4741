package io.iocp4j.bench.hostile;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** One small attack against the real demo server, end to end, in about ten seconds. */
class HostileRunTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aSmallSlowHeaderAttackIsMeasuredAndTheServerEndsOnSigterm() throws InterruptedException {
        assumeTrue(Files.isRegularFile(ROOT.resolve("cli/target/iocp4j-cli.jar")), "the cli module is built");
        HostileSettings small = new HostileSettings(20, 2, 2, 100, 1, 2, 1024, 2, 3, 2, 1, 0, 15);

        HostileResult result = new HostileRun(ROOT, small, List.of("-Xmx256m")).run("slow-header", "nio2");

        assertNull(result.problem());
        assertEquals(20, result.connected());
        assertTrue(result.peak().residentBytes() >= result.before().residentBytes());
        // The attackers' 20 sockets were open on the server at its peak.
        assertTrue(result.peak().descriptors() >= result.before().descriptors() + 20);
        assertTrue(result.serving().startsWith("yes"), result.serving());
        assertTrue(result.witness().answered() > 0);
        assertFalse(result.ending().killed());
        assertEquals(0, result.ending().exitCode());
        assertNotNull(result.shutdownReport());
        assertTrue(HostileReport.markdown(List.of(result)).contains("| slow-header | nio2 | 20/20 |"));
    }
}
