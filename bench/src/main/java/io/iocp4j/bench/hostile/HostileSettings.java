package io.iocp4j.bench.hostile;

import io.iocp4j.bench.Arguments;

/**
 * The sizes and times of the attacks. The defaults are those of issue 17's table; {@code --quick} scales them down
 * for a look in under a minute per attack, and any flag given wins over both.
 *
 * @param connections          slow-header attacks' connections
 * @param slowSeconds          how long a slow header dribbles, one byte a second
 * @param neverReadConnections never-read attacks' connections
 * @param pings                PINGs each never-read-ping connection sends
 * @param neverReadSeconds     how long the never-read attacks last (never-read-ping stops sending early once all
 *                             its PINGs are sent, and holds its connections open)
 * @param uploads              partial uploads
 * @param uploadBytes          size each upload offers (half of it is sent)
 * @param idleConnections      idle-early's silent connections
 * @param idleTimeoutSeconds   the server's --idle-timeout in idle-early
 * @param floodConnections     flood-then-term's connections
 * @param floodSeconds         how long they flood before the SIGTERM
 * @param settleSeconds        wait after the attackers leave before the "after" reading
 * @param termBoundSeconds     how long a SIGTERM may take before SIGKILL
 */
record HostileSettings(int connections, int slowSeconds, int neverReadConnections, int pings, int neverReadSeconds,
                       int uploads, int uploadBytes, int idleConnections, int idleTimeoutSeconds,
                       int floodConnections, int floodSeconds, int settleSeconds, int termBoundSeconds) {

    /** Within the 20,000 open files a process may have here, with room for the JVM's own. */
    static final int MOST_CONNECTIONS = 19_000;

    HostileSettings {
        requireRange("connections", connections, 1, MOST_CONNECTIONS);
        requireRange("never-read-connections", neverReadConnections, 1, MOST_CONNECTIONS);
        requireRange("idle-connections", idleConnections, 1, MOST_CONNECTIONS);
        requireRange("flood-connections", floodConnections, 1, MOST_CONNECTIONS);
        requireRange("uploads", uploads, 1, MOST_CONNECTIONS);
        requireRange("slow-seconds", slowSeconds, 1, 3600);
        requireRange("pings", pings, 1, 100_000_000);
        requireRange("never-read-seconds", neverReadSeconds, 1, 3600);
        requireRange("upload-bytes", uploadBytes, 2, 1 << 30);
        requireRange("idle-timeout", idleTimeoutSeconds, 1, 3600);
        requireRange("flood-seconds", floodSeconds, 1, 3600);
        requireRange("settle-seconds", settleSeconds, 0, 600);
        requireRange("term-bound", termBoundSeconds, 1, 600);
    }

    static HostileSettings from(Arguments arguments) {
        boolean quick = arguments.flag("quick");
        return new HostileSettings(
                arguments.integer("connections", quick ? 200 : 2000),
                arguments.integer("slow-seconds", quick ? 4 : 10),
                arguments.integer("never-read-connections", quick ? 10 : 50),
                arguments.integer("pings", quick ? 20_000 : 100_000),
                arguments.integer("never-read-seconds", quick ? 4 : 10),
                arguments.integer("uploads", quick ? 20 : 200),
                arguments.integer("upload-bytes", 1 << 20),
                arguments.integer("idle-connections", quick ? 100 : 1000),
                arguments.integer("idle-timeout", 3),
                arguments.integer("flood-connections", quick ? 50 : 500),
                arguments.integer("flood-seconds", quick ? 2 : 5),
                arguments.integer("settle-seconds", quick ? 1 : 3),
                arguments.integer("term-bound", 15));
    }

    /** The settings as the flags that give them, so that a report says how to run it again. */
    String asFlags() {
        return String.format(java.util.Locale.ROOT, "--connections %d --slow-seconds %d --never-read-connections %d"
                        + " --pings %d --never-read-seconds %d --uploads %d --upload-bytes %d --idle-connections %d"
                        + " --idle-timeout %d --flood-connections %d --flood-seconds %d --settle-seconds %d"
                        + " --term-bound %d", connections, slowSeconds, neverReadConnections, pings, neverReadSeconds,
                uploads, uploadBytes, idleConnections, idleTimeoutSeconds, floodConnections, floodSeconds,
                settleSeconds, termBoundSeconds);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", not "
                    + value);
        }
    }
}
