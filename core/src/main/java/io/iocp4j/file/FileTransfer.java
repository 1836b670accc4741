package io.iocp4j.file;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file going out or coming in on a connection: its progress, and a future that completes with the offer once
 * the receiver reported the file stored and verified, or exceptionally with a {@link FileTransferException}.
 * Safe to read from any thread.
 */
public final class FileTransfer {
    private final CompletableFuture<FileOffer> result = new CompletableFuture<>();
    private final AtomicLong transferred = new AtomicLong();
    private final Runnable canceller;
    private volatile FileOffer offer;
    private volatile long offset;
    private volatile long hashed;
    private volatile long hashTotal = -1;
    private final long startNanos = System.nanoTime();

    /** {@code canceller} stops the transfer from any thread (for an incoming file: sends FILE_CANCEL). */
    public FileTransfer(Runnable canceller) {
        this.canceller = canceller;
    }

    public CompletableFuture<FileOffer> result() {
        return result;
    }

    /** The offer, once known (for an upload: after the file was hashed). */
    public FileOffer offer() {
        return offer;
    }

    /** Where the stream began: bytes the receiver already held from an earlier, broken transfer. */
    public long offset() {
        return offset;
    }

    /**
     * Bytes of the file hashed so far before its offer: an upload hashes its whole file before offering it, which
     * for a large file takes a while (about 0.6 s a GiB). Of {@link #hashTotal()}.
     */
    public long hashed() {
        return hashed;
    }

    /** The size of the file being hashed before its offer; -1 if no hashing started (as for a download). */
    public long hashTotal() {
        return hashTotal;
    }

    /** Bytes of the raw stream moved so far in this transfer (not counting the offset). */
    public long transferred() {
        return transferred.get();
    }

    /** Stops the transfer; the future fails as cancelled. Outgoing: the connection closes, as the protocol says. */
    public void cancel() {
        canceller.run();
    }

    // ---- the engine's side ----

    public void offered(FileOffer offer) {
        this.offer = offer;
    }

    public void hashedUpTo(long bytes, long total) {
        this.hashTotal = total;
        this.hashed = bytes;
    }

    public void started(long offset) {
        this.offset = offset;
    }

    public void progressed(long bytes) {
        transferred.addAndGet(bytes);
    }

    public void succeeded() {
        finished("OK");
        result.complete(offer);
    }

    public void failed(FileTransferException.Kind kind, int code, String message) {
        finished(kind.name());
        result.completeExceptionally(new FileTransferException(kind, code, message));
    }

    private void finished(String outcome) {
        FileOffer known = offer;
        FileTransferEvent.emit(known != null ? known.name() : null, known != null ? known.size() : -1, offset,
                transferred(), outcome, startNanos);
    }
}
