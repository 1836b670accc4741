package io.iocp4j.file;

import io.iocp4j.Connection;

import java.nio.file.Path;

/**
 * The file transfers of docs/protocol.md on one connection: it offers files to its peer ({@link #send}) and asks the
 * peer for files ({@link #request}), one of each at a time. A connection takes part when it is framed and its
 * handler is a {@link FileHandler}.
 *
 * <pre>{@code
 * FileTransfer upload = FileTransfers.of(connection).send(Path.of("big.iso"));
 * FileTransfer download = FileTransfers.of(connection).request("big.iso");
 * }</pre>
 */
public interface FileTransfers {
    /**
     * The file transfers of {@code connection}.
     *
     * @throws UnsupportedOperationException unless the connection is framed and its handler is a
     *         {@link FileHandler}
     */
    static FileTransfers of(Connection connection) {
        if (connection instanceof Carrier carrier) {
            return carrier.fileTransfers();
        }
        throw new UnsupportedOperationException("file transfers are not supported by " + connection);
    }

    /**
     * Offers the file at {@code path} to the peer under its file name, as docs/protocol.md's upload: FILE_OFFER, the
     * raw bytes from the offset the peer accepts, FILE_DONE. From the offer to the last raw byte, other sends on the
     * connection wait and go out after the file, in order. The file is hashed first, off the I/O thread.
     *
     * @throws UnsupportedOperationException when a byte stage of the connection changes what is sent: a file goes
     *         from disk to socket as it is
     */
    default FileTransfer send(Path path) {
        return send(path, path.getFileName().toString());
    }

    /** {@link #send(Path)} under another name. */
    FileTransfer send(Path path, String name);

    /**
     * Asks the peer for a file by name (FILE_GET). Its FILE_OFFER goes to the handler's
     * {@link FileHandler#onFileOffer}; the returned transfer ends when the file is stored, or with the peer's
     * FILE_REJECT.
     *
     * @throws UnsupportedOperationException as {@link #send(Path)}
     */
    FileTransfer request(String name);

    /**
     * A connection that can carry file transfers. The connections of a {@code Server} and a {@code Client} are
     * carriers; a connection of another kind (a test double) may be one too.
     */
    interface Carrier {
        /**
         * @throws UnsupportedOperationException unless this connection is framed and its handler is a
         *         {@link FileHandler}
         */
        FileTransfers fileTransfers();
    }
}
