package io.iocp4j.bench.hostile;

/**
 * What one attack did to one server.
 *
 * @param before        resident memory and descriptors before the attack
 * @param peak          their highest while it ran (until the "after" reading)
 * @param after         after the attackers left and the server had time to settle; null when the server was
 *                      terminated during the attack
 * @param witness       the well-behaved connection's round trips; null when it could not connect
 * @param serving       whether a fresh connection was served at the end
 * @param ending        how SIGTERM ended the server
 * @param problem       what went wrong: the tool, the server's start, or the first error the server printed; or null
 */
record HostileResult(String attack, String transport, int connected, int asked, ResourceSampler.Reading before,
                     ResourceSampler.Reading peak, ResourceSampler.Reading after, Witness.Result witness,
                     String serving, DemoServer.Ending ending, String shutdownReport, int outOfMemoryLines,
                     int stoppedByErrorLines, String findings, String problem) {
}
