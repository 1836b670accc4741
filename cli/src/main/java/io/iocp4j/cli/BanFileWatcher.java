package io.iocp4j.cli;

import io.iocp4j.BanList;
import io.iocp4j.CidrRange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --ban-file}: one address or CIDR range per line, {@code #} comments. Read at start, where a bad file stops
 * the server, then read again about once a second; whenever its bytes change, the server's bans become the
 * {@code --ban} flags plus the file's entries. A file that no longer reads or parses is reported and changes
 * nothing: the bans in force stay.
 */
final class BanFileWatcher implements AutoCloseable {
    static final long CHECK_MILLIS = 1000;

    private final Path file;
    private final List<CidrRange> fixed;
    private final BanList bans;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "iocp4j-ban-file");
        thread.setDaemon(true);
        return thread;
    });
    /** The bytes last applied, or last reported as bad, so one bad version is reported once. */
    private byte[] seen;

    private BanFileWatcher(Path file, List<CidrRange> fixed, BanList bans, byte[] seen) {
        this.file = file;
        this.fixed = List.copyOf(fixed);
        this.bans = bans;
        this.seen = seen;
    }

    /**
     * Reads the file for the first time: its bytes, which {@link #start} is given back, and its entries.
     *
     * @throws IllegalArgumentException saying why the file cannot be used: unreadable, or which line is bad
     */
    static byte[] readAtStart(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ban-file " + file + ": cannot read it: " + why(e));
        }
    }

    /** The entries of the file's first version. */
    static List<CidrRange> parseAtStart(Path file, byte[] bytes) {
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ban-file " + file + " " + e.getMessage());
        }
    }

    /**
     * Starts watching {@code file}, whose first version ({@code applied}) is in force with the {@code fixed}
     * bans of the flags.
     */
    static BanFileWatcher start(Path file, List<CidrRange> fixed, BanList bans, byte[] applied) {
        BanFileWatcher watcher = new BanFileWatcher(file, fixed, bans, applied);
        watcher.timer.scheduleWithFixedDelay(watcher::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void check() {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
        } catch (IOException e) {
            if (seen != null) {
                seen = null;
                System.err.println("iocp4j: --ban-file " + file + ": cannot read it (" + why(e)
                        + "); the bans in force stay");
            }
            return;
        }
        if (Arrays.equals(now, seen)) {
            return;
        }
        seen = now;
        try {
            List<CidrRange> all = new ArrayList<>(fixed);
            all.addAll(parse(now));
            bans.replaceAll(all);
            System.err.println("iocp4j: --ban-file " + file + " reloaded: " + all.size() + " bans");
        } catch (IllegalArgumentException e) {
            System.err.println("iocp4j: --ban-file " + file + " " + e.getMessage() + "; the bans in force stay");
        }
    }

    private static String why(IOException error) {
        return error instanceof NoSuchFileException ? "no such file" : Failures.describe(error);
    }

    private static List<CidrRange> parse(byte[] bytes) {
        return BanList.parseLines(new String(bytes, StandardCharsets.UTF_8).lines().toList());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
