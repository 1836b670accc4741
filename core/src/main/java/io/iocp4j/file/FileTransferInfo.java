package io.iocp4j.file;

/**
 * A file transfer under way, as {@link io.iocp4j.Server#fileTransfers()} lists it.
 *
 * @param connectionId the connection it runs on
 * @param incoming     true for a file coming in (an upload to this side), false for one going out
 * @param transfer     its progress: {@link FileTransfer#offer()} (null until known), {@link FileTransfer#offset()},
 *                     {@link FileTransfer#transferred()}
 */
public record FileTransferInfo(long connectionId, boolean incoming, FileTransfer transfer) {
}
