package io.iocp4j.bench.hostile;

import java.util.List;

/**
 * One hostile behaviour, run once against a fresh server. The runner starts the server with the attack's flags and
 * JVM options, calls {@link #attack}, then {@link #leave}, and measures around them; the attack reports what only it
 * can see (partial files, close times, ERROR 8s heard) through {@link #findings}.
 */
interface Attack extends AutoCloseable {
    /** Flags for {@code iocp4j server} beyond the defaults. */
    default List<String> serverFlags() {
        return List.of();
    }

    /** JVM options for the server, such as a direct memory cap. */
    default List<String> jvmOptions() {
        return List.of();
    }

    /** Whether the server gets its SIGTERM while the attack still runs, before the attackers leave. */
    default boolean terminatesDuringAttack() {
        return false;
    }

    /** Opens the connections and attacks; returns when the attack is over, its connections still held. */
    void attack(int port) throws Exception;

    /** Every attacker connection ends. */
    void leave() throws InterruptedException;

    /** Connections opened, of {@link #asked()}. */
    int connected();

    int asked();

    /** What this attack saw beyond the common measures, in a line; called after {@link #leave}. */
    String findings();

    /** Removes whatever the attack left on this machine (files). */
    @Override
    default void close() {
    }
}
