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

    public void started(long offset) {
        this.offset = offset;
    }

    public void progressed(long bytes) {
        transferred.addAndGet(bytes);
    }

    public void succeeded() {
        result.complete(offer);
    }

    public void failed(FileTransferException.Kind kind, int code, String message) {
        result.completeExceptionally(new FileTransferException(kind, code, message));
    }
}
