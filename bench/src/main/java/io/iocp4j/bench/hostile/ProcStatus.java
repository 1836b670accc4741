package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A process's resident memory and open descriptors, read from /proc. */
final class ProcStatus {
    /** What a reading gives for a process that is gone (or a /proc that cannot be read). */
    static final long UNKNOWN = -1;

    private ProcStatus() {
    }

    /** Resident memory in bytes, or {@link #UNKNOWN}. */
    static long residentBytes(long pid) {
        try {
            return residentBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** The {@code VmRSS:} line of a /proc/PID/status text, in bytes; {@link #UNKNOWN} without one (a zombie). */
    static long residentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] words = line.substring("VmRSS:".length()).trim().split("\\s+");
                long value = Long.parseLong(words[0]);
                // The kernel writes "kB" and means KiB.
                return words.length > 1 && words[1].equals("kB") ? value * 1024 : value;
            }
        }
        return UNKNOWN;
    }

    /** Entries of /proc/PID/fd, or {@link #UNKNOWN}. */
    static long openDescriptors(long pid) {
        return countEntries(Path.of("/proc", Long.toString(pid), "fd"));
    }

    /** Entries of a directory, or {@link #UNKNOWN} when it cannot be listed. */
    static long countEntries(Path directory) {
        long count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path ignored : entries) {
                count++;
            }
            return count;
        } catch (NoSuchFileException e) {
            return UNKNOWN;
        } catch (IOException | RuntimeException e) {
            // A process that exits while being listed makes the stream fail part way.
            return UNKNOWN;
        }
    }
}
