package io.iocp4j.cli;

import io.iocp4j.CidrRange;
import io.iocp4j.Server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The demo server's admission and timeout flags, checked before anything starts and applied to the builder. */
final class ServerPolicies {
    /** A year: longer timeouts are surely a typo. */
    static final int MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;

    private final List<CidrRange> flagBans;
    private final Path banFile;
    private final byte[] banFileRead;
    private final List<CidrRange> fileBans;

    private ServerPolicies(List<CidrRange> flagBans, Path banFile, byte[] banFileRead, List<CidrRange> fileBans) {
        this.flagBans = flagBans;
        this.banFile = banFile;
        this.banFileRead = banFileRead;
        this.fileBans = fileBans;
    }

    /**
     * Parses every {@code --ban} and reads the {@code --ban-file}.
     *
     * @throws IllegalArgumentException naming the bad flag value, or the file and its bad line
     */
    static ServerPolicies parse(List<String> bans, Path banFile) {
        List<CidrRange> parsed = new ArrayList<>();
        for (String ban : bans) {
            try {
                parsed.add(CidrRange.parse(ban));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--ban " + e.getMessage());
            }
        }
        if (banFile == null) {
            return new ServerPolicies(parsed, null, null, List.of());
        }
        byte[] read = BanFileWatcher.readAtStart(banFile);
        return new ServerPolicies(parsed, banFile, read, BanFileWatcher.parseAtStart(banFile, read));
    }

    /** Flags of value 0 mean no limit and no timeout. The bans are in force from the first accept. */
    void apply(Server.Builder builder, int maxConnections, int maxPerAddress, int idleSeconds, int writeSeconds) {
        for (CidrRange ban : flagBans) {
            builder.ban(ban);
        }
        for (CidrRange ban : fileBans) {
            builder.ban(ban);
        }
        if (maxConnections > 0) {
            builder.maxConnections(maxConnections);
        }
        if (maxPerAddress > 0) {
            builder.maxConnectionsPerAddress(maxPerAddress);
        }
        if (idleSeconds > 0) {
            builder.idleTimeout(Duration.ofSeconds(idleSeconds));
        }
        if (writeSeconds > 0) {
            builder.writeTimeout(Duration.ofSeconds(writeSeconds));
        }
    }

    /** With a ban file, starts watching it for changes; the watcher to close at shutdown, or null. */
    BanFileWatcher watch(Server server) {
        return banFile == null ? null : BanFileWatcher.start(banFile, flagBans, server.bans(), banFileRead);
    }
}
