package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.file.FileNames;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileSource;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransferException.Kind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The file a connection sends: FILE_OFFER, then (on FILE_ACCEPT) the raw bytes from the accepted offset, then
 * FILE_DONE from the receiver. From the offer to the last raw byte, sends made on the connection wait behind the
 * gate of its {@link Outbound}, in order, and go out after the file.
 *
 * <p>Port thread only, except {@link #send} and {@link FileTransfer#cancel()}, which hand their work to it.
 */
final class OutgoingFile implements FileStreamer.Listener {
    private enum State { IDLE, PREPARING, OFFERED, STREAMING, AWAITING_DONE }

    private final FileSession session;
    private final RealConnection connection;
    private final Outbound outbound;
    private State state = State.IDLE;
    private FileTransfer transfer;
    private FileSource source;
    /** FILE_DONE arrived before the completion of the last write was seen: its status waits for it. */
    private Boolean earlyDone;

    OutgoingFile(FileSession session, RealConnection connection, Outbound outbound) {
        this.session = session;
        this.connection = connection;
        this.outbound = outbound;
    }

    boolean idle() {
        return state == State.IDLE;
    }

    boolean offered() {
        return state == State.OFFERED;
    }

    /** Streaming or done streaming: FILE_DONE and FILE_CANCEL belong here. */
    boolean awaitsDone() {
        return state == State.STREAMING || state == State.AWAITING_DONE;
    }

    /** Any thread: hashes {@code path} off the port, then offers it under {@code name}. */
    FileTransfer send(Path path, String name) {
        FileTransfer handle = new FileTransfer(() -> connection.runOnPort(this::cancelledHere));
        if (FileNames.validate(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8))) == null) {
            handle.failed(Kind.REJECTED, FileRejectCode.BAD_NAME, "bad file name: " + name);
            return handle;
        }
        connection.runOnPort(() -> {
            if (!connection.isOpen()) {
                handle.failed(Kind.BROKEN, 0, "connection closed");
                return;
            }
            FileSession.offPort(connection, "iocp4j-file-hash", () -> {
                try {
                    FileSource opened = hash(path, name);
                    return () -> offer(opened, handle);
                } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
                    return () -> handle.failed(Kind.BROKEN, 0, "cannot read " + path + ": " + e.getMessage());
                }
            });
        });
        return handle;
    }

    /** The file at {@code path}, open for reading, with its size and SHA-256; closed again if that fails. */
    private static FileSource hash(Path path, String name) throws IOException, NoSuchAlgorithmException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            long position = 0;
            while (position < size) {
                int read = channel.read(chunk.clear(), position);
                if (read < 0) {
                    throw new IOException("file shrank while hashed: " + path);
                }
                position += read;
                digest.update(chunk.flip());
            }
            return new FileSource(new FileOffer(name, size, digest.digest()), channel);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** FILE_GET of a name the handler serves from {@code store}. */
    void serve(FileStore store, String name) {
        state = State.PREPARING;
        FileTransfer handle = new FileTransfer(() -> connection.runOnPort(this::cancelledHere));
        transfer = handle;
        FileSession.offPort(connection, "iocp4j-file-open", () -> {
            try {
                FileSource opened = store.open(name);
                return () -> offer(opened, handle);
            } catch (FileTransferException e) {
                return () -> {
                    if (transfer == handle) {
                        end();
                        session.reject(e.code(), e.getMessage());
                    }
                    FileSession.complete(handle, e);
                };
            }
        });
    }

    private void offer(FileSource opened, FileTransfer handle) {
        boolean ours = state == State.IDLE || (state == State.PREPARING && transfer == handle);
        if (!ours || !connection.isOpen() || handle.result().isDone()) {
            FileSession.closeQuietly(opened.channel());
            handle.failed(Kind.BROKEN, 0, ours ? "connection closed" : "a file is already going out");
            return;
        }
        state = State.OFFERED;
        transfer = handle;
        source = opened;
        handle.offered(opened.offer());
        connection.send(FileMessages.offer(opened.offer()));
        outbound.closeGate();
    }

    void accepted(long offset) {
        long size = source.offer().size();
        if (offset < 0 || offset > size) {
            session.fail(FileMessages.ERROR_MALFORMED_BODY, "FILE_ACCEPT offset " + Long.toUnsignedString(offset)
                    + " past the size " + size);
            return;
        }
        state = State.STREAMING;
        transfer.started(offset);
        outbound.streamFile(source.channel(), offset, size, this);
    }

    @Override
    public void progressed(long bytes) {
        // A write still in flight when the transfer was cancelled completes after it.
        if (state == State.STREAMING) {
            transfer.progressed(bytes);
        }
    }

    @Override
    public void streamed() {
        if (state != State.STREAMING) {
            return;
        }
        state = State.AWAITING_DONE;
        FileSession.closeQuietly(source.channel());
        source = null;
        outbound.openGate();
        if (earlyDone != null) {
            done(earlyDone);
        }
    }

    void rejected(int code, String reason) {
        FileTransfer handle = transfer;
        end();
        outbound.openGate();
        handle.failed(Kind.REJECTED, code, reason);
    }

    void done(boolean verified) {
        if (state == State.STREAMING) {
            earlyDone = verified;
            return;
        }
        FileTransfer handle = transfer;
        end();
        if (verified) {
            handle.succeeded();
        } else {
            handle.failed(Kind.MISMATCH, 0, "the receiver found the SHA-256 did not match");
        }
    }

    /** FILE_CANCEL: the sender stops and closes the connection, as the protocol says. */
    void cancelledByPeer(int code, String reason) {
        FileTransfer handle = transfer;
        end();
        handle.failed(Kind.CANCELLED, code, "cancelled by the receiver: " + reason);
        connection.closeWith(CloseReason.CLOSED_LOCALLY);
    }

    /** Our side cancels: a sender that stops mid-stream closes the connection. */
    private void cancelledHere() {
        if (state == State.IDLE) {
            return;
        }
        FileTransfer handle = transfer;
        end();
        handle.failed(Kind.CANCELLED, 0, "cancelled");
        connection.closeWith(CloseReason.CLOSED_LOCALLY);
    }

    void released() {
        if (state != State.IDLE) {
            FileTransfer handle = transfer;
            end();
            FileSession.complete(handle, FileSession.broken("connection closed"));
        }
    }

    private void end() {
        state = State.IDLE;
        transfer = null;
        earlyDone = null;
        if (source != null) {
            FileSession.closeQuietly(source.channel());
            source = null;
        }
    }
}
