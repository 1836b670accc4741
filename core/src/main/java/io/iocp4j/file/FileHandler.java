package io.iocp4j.file;

import io.iocp4j.Connection;
import io.iocp4j.Handler;

/**
 * A handler that takes part in the file transfers of docs/protocol.md. Frames of the file messages (0x10 to 0x15) never
 * reach {@code onPacket}: the connection handles them itself, on its I/O thread, and asks this handler only what to
 * decide. These calls run on the I/O thread whatever the workers setting, and must not block.
 */
public interface FileHandler extends Handler {
    /** The peer offers a file (an upload, or the answer to our FILE_GET): receive it into a store, or reject it. */
    FileDecision onFileOffer(Connection connection, FileOffer offer);

    /** The peer asks for a file by name (already validated): serve it from a store, or reject. */
    default FileDecision onFileRequest(Connection connection, String name) {
        return FileDecision.reject(FileRejectCode.NOT_FOUND, "this side serves no files");
    }

    /** An accepted incoming file begins to stream; {@code transfer} shows its progress and can cancel it. */
    default void onFileStarted(Connection connection, FileTransfer transfer) {
    }

    /**
     * An incoming file ended: {@code error} is null when it was verified and stored under its final name, else why
     * not (a mismatch, a cancel, a broken connection or a disk error). The original's NotifyFileCompleted.
     */
    default void onFileReceived(Connection connection, FileOffer offer, FileTransferException error) {
    }
}
