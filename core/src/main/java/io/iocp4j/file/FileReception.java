package io.iocp4j.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * One file being received into a {@link FileStore}: the raw stream is written to the partial file straight from the
 * receive buffer and hashed on the way. A disk error does not stop the stream (the protocol has no way to), it only
 * makes the end report failure. Used by one thread at a time.
 */
public final class FileReception {
    private final FileStore store;
    private final FileOffer offer;
    private final String diskName;
    private final Path partial;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final long offset;
    private long written;
    private IOException diskError;
    private boolean ended;

    FileReception(FileStore store, FileOffer offer, String diskName, Path partial, FileChannel channel,
                  MessageDigest digest, long offset) {
        this.store = store;
        this.offer = offer;
        this.diskName = diskName;
        this.partial = partial;
        this.channel = channel;
        this.digest = digest;
        this.offset = offset;
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

    /** Writes and hashes the buffer's remaining bytes (at most {@link #remaining()}); its position ends at its limit. */
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
            }
        }
        if (diskError == null) {
            digest.update(bytes);
        } else {
            // The end reports the disk error whatever the checksum: hashing the rest would be wasted.
            bytes.position(bytes.limit());
        }
    }

    /**
     * Every byte arrived: stores the file under its final name if its checksum matches. Null when stored, else why
     * not; a mismatched file is deleted, so a resume never starts from bad bytes.
     */
    public FileTransferException finish() {
        if (remaining() != 0) {
            throw new IllegalStateException("finish with " + remaining() + " bytes to come");
        }
        ended = true;
        try {
            FileStore.closeQuietly(channel);
            if (diskError != null) {
                // What the partial file holds past the error is unknown: a resume must not start from it.
                deleteQuietly();
                return new FileTransferException(FileTransferException.Kind.BROKEN, 0,
                        "disk error: " + diskError.getMessage());
            }
            if (!offer.sameContent(digest.digest())) {
                deleteQuietly();
                return new FileTransferException(FileTransferException.Kind.MISMATCH, 0, "SHA-256 mismatch");
            }
            try {
                Files.move(partial, store.pathOf(offer.name()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                return null;
            } catch (IOException e) {
                return new FileTransferException(FileTransferException.Kind.BROKEN, 0,
                        "cannot store the file: " + e.getMessage());
            }
        } finally {
            store.ended(diskName);
        }
    }

    /** The transfer broke or was cancelled: the partial file stays for a resume, never under the final name. */
    public void abandon() {
        if (ended) {
            return;
        }
        ended = true;
        FileStore.closeQuietly(channel);
        if (diskError != null) {
            deleteQuietly();
        }
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
