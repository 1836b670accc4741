package io.iocp4j.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * One file being received into a {@link FileStore}: the raw stream is written to the partial file straight from the
 * receive buffer. A small transfer is hashed on the way, by the thread that writes; a large one, while a core is to
 * spare, is hashed on a thread of its own that reads the bytes back behind the writes ({@link TrailingHash}), so that
 * receiving and hashing run on two cores. A disk error does not stop the stream (the protocol has no way to), it
 * only makes the end report failure. Used by one thread at a time, except that a large transfer's end may be
 * reported on its hashing thread.
 */
public final class FileReception {
    private final FileStore store;
    private final FileOffer offer;
    private final String diskName;
    private final Path partial;
    /** The partial file's place within the store's bounds, given back once the transfer ends. */
    private final PartialUploads.Claim claim;
    private final FileChannel channel;
    private final MessageDigest digest;
    /** Hashes the file behind the writes; null when the writing thread hashes. */
    private final TrailingHash trailing;
    private final long offset;
    private long written;
    private IOException diskError;
    private boolean ended;

    FileReception(FileStore store, FileOffer offer, String diskName, Path partial, PartialUploads.Claim claim,
                  FileChannel channel, MessageDigest digest, long offset, long hashAsideFrom, Semaphore spareCores) {
        this.store = store;
        this.claim = claim;
        this.offer = offer;
        this.diskName = diskName;
        this.partial = partial;
        this.channel = channel;
        this.digest = digest;
        this.offset = offset;
        long toCome = offer.size() - offset;
        this.trailing = toCome > 0 && toCome >= hashAsideFrom && spareCores.tryAcquire()
                ? new TrailingHash(channel, digest, offset, offer.size(), spareCores) : null;
    }

    public FileOffer offer() {
        return offer;
    }

    /** Bytes already held from an earlier transfer: the FILE_ACCEPT offset. */
    public long offset() {
        return offset;
    }

    /** Bytes still to come. */
    public long remaining() {
        return offer.size() - offset - written;
    }

    /**
     * Writes the buffer's remaining bytes (at most {@link #remaining()}) and hashes them, or has them hashed; its
     * position ends at its limit.
     */
    public void write(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length > remaining()) {
            throw new IllegalArgumentException("bytes=" + length + " remaining=" + remaining());
        }
        written += length;
        if (diskError == null) {
            try {
                ByteBuffer view = bytes.duplicate();
                while (view.hasRemaining()) {
                    channel.write(view);
                }
            } catch (IOException e) {
                diskError = e;
                if (trailing != null) {
                    trailing.stop();
                }
            }
        }
        if (diskError == null && trailing == null) {
            digest.update(bytes);
            return;
        }
        if (diskError == null) {
            trailing.writtenUpTo(offset + written);
        }
        // After a disk error the end reports it whatever the checksum: hashing the rest would be wasted.
        bytes.position(bytes.limit());
    }

    /**
     * Every byte arrived: stores the file under its final name if its checksum matches. {@code then} gets null when
     * stored, else why not; it runs on this thread if the hash is already whole, else on the hashing thread once it
     * is. A mismatched file is deleted, so a resume never starts from bad bytes.
     */
    public void finish(Consumer<FileTransferException> then) {
        if (remaining() != 0) {
            throw new IllegalStateException("finish with " + remaining() + " bytes to come");
        }
        ended = true;
        if (trailing == null || diskError != null) {
            then.accept(store(diskError == null ? digest.digest() : null, null));
            return;
        }
        trailing.result().whenComplete((sha256, readError) -> then.accept(store(sha256, readError)));
    }

    /** As {@link #finish(Consumer)}, waiting for the hash: null when stored, else why not. */
    public FileTransferException finish() {
        CompletableFuture<FileTransferException> outcome = new CompletableFuture<>();
        finish(outcome::complete);
        return outcome.join();
    }

    private FileTransferException store(byte[] sha256, Throwable readError) {
        try {
            FileStore.closeQuietly(channel);
            if (diskError != null || readError != null) {
                // What the partial file holds past the error is unknown: a resume must not start from it.
                deleteQuietly();
                return new FileTransferException(FileTransferException.Kind.BROKEN, 0, diskError != null
                        ? "disk error: " + diskError.getMessage()
                        : "cannot read the file back to hash it: " + readError.getMessage());
            }
            if (!offer.sameContent(sha256)) {
                deleteQuietly();
                return new FileTransferException(FileTransferException.Kind.MISMATCH, 0, "SHA-256 mismatch");
            }
            Path stored = store.pathOf(offer.name());
            try {
                Files.move(partial, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                return new FileTransferException(FileTransferException.Kind.BROKEN, 0,
                        "cannot store the file: " + e.getMessage());
            }
            store.remember(diskName, stored, offer.sha256());
            return null;
        } finally {
            // Before the name is free again: the next offer of it must find this file counted as it is now.
            claim.release();
            store.ended(diskName);
        }
    }

    /** The transfer broke or was cancelled: the partial file stays for a resume, never under the final name. */
    public void abandon() {
        if (ended) {
            return;
        }
        ended = true;
        if (trailing != null) {
            trailing.stop();
        }
        FileStore.closeQuietly(channel);
        if (diskError != null) {
            deleteQuietly();
        }
        claim.release();
        store.ended(diskName);
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // Removed with the next offer of this name.
        }
    }
}
