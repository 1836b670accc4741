package io.iocp4j.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The partial files of one store's directory and their bounds: how many there may be, how many bytes they may hold,
 * and how long one may wait for a resume. A transfer in progress holds a {@link Claim} on its partial file, which
 * counts the whole size it will reach; a partial file no transfer holds is idle, and idle files go oldest first
 * (by last write) when an offer needs room or when they pass their time to live. Thread-safe: offers and sweeps
 * are serialised by one lock and delete files outside the lock that ends of transfers (on port threads) take.
 */
final class PartialUploads {
    static final String PREFIX = ".partial-";

    private final Path directory;
    private final int maxFiles;
    private final long maxBytes;
    /** 0: partial files never expire. */
    private final long ttlNanos;
    private final LongSupplier clock;
    /** Offers and sweeps one at a time, so that room found while deleting is not taken by another offer. */
    private final Object admission = new Object();

    // Guarded by this.
    /** Idle partial files, oldest last write first: bytes on disk and the clock when last written. */
    private final LinkedHashMap<Path, long[]> idle = new LinkedHashMap<>();
    /** Partial files held by transfers in progress, with the bytes each reserves. */
    private final Map<Path, Long> inTransfer = new HashMap<>();
    /** Files taken off the idle list and being deleted: still on disk, so still counted. */
    private int deletingFiles;
    private long deletingBytes;
    private long idleBytes;
    private long inTransferBytes;
    private long evicted;
    private long expired;

    /** Counts the partial files already in {@code directory}, as old as their modification time says. */
    PartialUploads(Path directory, int maxFiles, long maxBytes, long ttlNanos, LongSupplier clock) throws IOException {
        this.directory = directory;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.ttlNanos = ttlNanos;
        this.clock = clock;
        long now = clock.getAsLong();
        long wallNow = System.currentTimeMillis();
        List<Map.Entry<Path, BasicFileAttributes>> found = new ArrayList<>();
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path partial : partials) {
                BasicFileAttributes attributes = Files.readAttributes(partial, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    found.add(Map.entry(partial, attributes));
                }
            }
        }
        found.sort(Comparator.comparing(entry -> entry.getValue().lastModifiedTime()));
        synchronized (this) {
            for (Map.Entry<Path, BasicFileAttributes> entry : found) {
                long age = TimeUnit.MILLISECONDS.toNanos(Math.max(0,
                        wallNow - entry.getValue().lastModifiedTime().toMillis()));
                addIdle(entry.getKey(), entry.getValue().size(), now - age);
            }
        }
        // Started with smaller bounds than the files left by an earlier run: trimmed to them at once.
        synchronized (admission) {
            expire();
            makeRoom(0, 0);
        }
    }

    /**
     * Takes the partial file {@code partial} of an offer of {@code size} bytes for a transfer: removes what other
     * partial files of the same name ({@code namePrefix}) hold, as they can never be resumed now, expires what is
     * too old, and evicts the oldest idle files until the bounds leave room for it.
     */
    Claim claim(Path partial, String namePrefix, long size) throws FileTransferException, IOException {
        if (size > maxBytes) {
            throw FileStore.rejection(FileRejectCode.TOO_LARGE, "file of " + size + " bytes; partial uploads may "
                    + "hold at most " + maxBytes + " bytes");
        }
        synchronized (admission) {
            removeOthers(partial, namePrefix);
            expire();
            synchronized (this) {
                // Counted again below as a file in transfer.
                long[] held = idle.remove(partial);
                if (held != null) {
                    idleBytes -= held[0];
                }
                // Counted from now on as a file; its bytes once there is room for them.
                inTransfer.put(partial, 0L);
            }
            if (!makeRoom(0, size)) {
                long onDisk = bytesOnDisk(partial, 0);
                synchronized (this) {
                    inTransfer.remove(partial);
                    if (onDisk >= 0) {
                        // The file it was to resume from stays for a later offer.
                        addIdle(partial, onDisk, clock.getAsLong());
                    }
                    throw FileStore.rejection(FileRejectCode.IO_ERROR, "no room for partial uploads: transfers "
                            + "in progress hold " + inTransfer.size() + " of " + maxFiles + " files and "
                            + inTransferBytes + " of " + maxBytes + " bytes");
                }
            }
            synchronized (this) {
                inTransfer.put(partial, size);
                inTransferBytes += size;
            }
            return new Claim(partial);
        }
    }

    /** Deletes the idle partial files older than the time to live; called on each offer and by the sweeper. */
    void expire() {
        if (ttlNanos == 0) {
            return;
        }
        synchronized (admission) {
            long now = clock.getAsLong();
            List<Map.Entry<Path, long[]>> old = new ArrayList<>();
            synchronized (this) {
                for (Iterator<Map.Entry<Path, long[]>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Path, long[]> next = it.next();
                    if (now - next.getValue()[1] < ttlNanos) {
                        break;
                    }
                    it.remove();
                    takeForDeletion(next.getValue()[0]);
                    old.add(next);
                }
            }
            int deleted = delete(old);
            synchronized (this) {
                expired += deleted;
            }
        }
    }

    /**
     * Evicts idle files, oldest first, until {@code files} more files and {@code bytes} more bytes (beside what the
     * files in transfer will hold) fit; false if even with none idle they would not.
     */
    private boolean makeRoom(int files, long bytes) {
        List<Map.Entry<Path, long[]>> victims = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Path, long[]>> it = idle.entrySet().iterator();
            while (!fits(files, bytes) && it.hasNext()) {
                Map.Entry<Path, long[]> next = it.next();
                it.remove();
                takeForDeletion(next.getValue()[0]);
                victims.add(next);
            }
        }
        int deleted = delete(victims);
        synchronized (this) {
            evicted += deleted;
            return fits(files, bytes);
        }
    }

    /** Files being deleted are left out: only the offer that took them waits for their deletion. */
    private boolean fits(int files, long bytes) {
        int count = idle.size() + inTransfer.size();
        long held = idleBytes + inTransferBytes;
        return count + files <= maxFiles && held + bytes <= maxBytes;
    }

    private void removeOthers(Path keep, String namePrefix) throws IOException {
        List<Map.Entry<Path, long[]>> others = new ArrayList<>();
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(directory, namePrefix + "*")) {
            for (Path other : partials) {
                if (!other.equals(keep)) {
                    synchronized (this) {
                        long[] held = idle.remove(other);
                        if (held != null) {
                            takeForDeletion(held[0]);
                            others.add(Map.entry(other, held));
                        } else {
                            // Not counted: a file put there by hand, or left by another store.
                            Files.deleteIfExists(other);
                        }
                    }
                }
            }
        }
        delete(others);
    }

    private void takeForDeletion(long bytes) {
        idleBytes -= bytes;
        deletingFiles++;
        deletingBytes += bytes;
    }

    /** Deletes files taken off the idle list; one that cannot be deleted goes back to its head. The count deleted. */
    private int delete(List<Map.Entry<Path, long[]>> files) {
        int deleted = 0;
        for (Map.Entry<Path, long[]> file : files) {
            boolean gone;
            try {
                Files.deleteIfExists(file.getKey());
                gone = true;
            } catch (IOException e) {
                gone = false;
            }
            synchronized (this) {
                deletingFiles--;
                deletingBytes -= file.getValue()[0];
                if (!gone) {
                    // Still on disk, so still counted; tried again on the next offer.
                    addIdle(file.getKey(), file.getValue()[0], file.getValue()[1]);
                } else {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private void addIdle(Path partial, long bytes, long lastWrite) {
        idle.put(partial, new long[]{bytes, lastWrite});
        idleBytes += bytes;
    }

    /** The bytes a partial file holds on disk; -1 when it is gone, {@code unknown} when that cannot be seen. */
    private static long bytesOnDisk(Path partial, long unknown) {
        try {
            return Files.readAttributes(partial, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            return unknown;
        }
    }

    synchronized PartialUploadStats stats() {
        return new PartialUploadStats(idle.size() + inTransfer.size() + deletingFiles,
                idleBytes + inTransferBytes + deletingBytes, inTransfer.size(), evicted, expired);
    }

    /** A transfer's hold on its partial file; released once, whichever way the transfer ends. */
    final class Claim {
        private final Path partial;
        private boolean released;

        private Claim(Path partial) {
            this.partial = partial;
        }

        /** The transfer ended; its file is kept (idle, with what it holds) or gone. True the first time only. */
        boolean release() {
            long reserved;
            synchronized (PartialUploads.this) {
                if (released) {
                    return false;
                }
                reserved = inTransfer.get(partial);
            }
            // Read before the file leaves the transfers, so that it is counted all the while; one that cannot be
            // seen is counted at the most it could hold.
            long onDisk = bytesOnDisk(partial, reserved);
            synchronized (PartialUploads.this) {
                if (released) {
                    return false;
                }
                released = true;
                inTransfer.remove(partial);
                inTransferBytes -= reserved;
                if (onDisk >= 0) {
                    addIdle(partial, onDisk, clock.getAsLong());
                }
            }
            return true;
        }
    }
}
