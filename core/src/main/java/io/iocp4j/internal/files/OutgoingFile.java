package io.iocp4j.internal.files;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.file.FileNames;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileSource;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransferException.Kind;
import io.iocp4j.internal.connection.ProtocolContext;
import io.iocp4j.spi.SendableFile;

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
 * gate of its sending side, in order, and go out after the file.
 *
 * <p>Port thread only, except {@link #send} and {@link FileTransfer#cancel()}, which hand their work to it.
 */
final class OutgoingFile implements FileStreamer.Listener {
    private static final System.Logger LOG = System.getLogger(OutgoingFile.class.getName());

    private enum State { IDLE, PREPARING, OFFERED, STREAMING, AWAITING_DONE }

    private final FileSession session;
    private final ProtocolContext context;
    private final Connection connection;
    /** Made for the first file streamed, and used again for the next. */
    private FileStreamer streamer;
    private State state = State.IDLE;
    /** Volatile only so that a listing of transfers in progress may read it from another thread. */
    private volatile FileTransfer transfer;
    private FileSource source;
    /** The same file opened by the transport for kernel-side writes; null when it streams through user space. */
    private SendableFile kernelFile;
    /** FILE_DONE arrived before the completion of the last write was seen: its status waits for it. */
    private Boolean earlyDone;

    OutgoingFile(FileSession session, ProtocolContext context) {
        this.session = session;
        this.context = context;
        this.connection = context.connection();
    }

    /** Any thread: the transfer under way, or null. */
    FileTransfer transfer() {
        return transfer;
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
        FileTransfer handle = new FileTransfer(() -> context.runOnPort(this::cancelledHere));
        if (FileNames.validate(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8))) == null) {
            handle.failed(Kind.REJECTED, FileRejectCode.BAD_NAME, "bad file name: " + name);
            return handle;
        }
        context.runOnPort(() -> {
            if (!connection.isOpen()) {
                handle.failed(Kind.BROKEN, 0, "connection closed");
                return;
            }
            FileSession.offPort(context, "iocp4j-file-hash", () -> {
                try {
                    FileSource opened = hash(path, name, handle);
                    SendableFile sendable = openSendable(opened, path, true);
                    return () -> offer(opened, sendable, handle);
                } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
                    return () -> handle.failed(Kind.BROKEN, 0, "cannot read " + path + ": " + e.getMessage());
                }
            });
        });
        return handle;
    }

    /**
     * The file at {@code path}, open for reading, with its size and SHA-256, the progress shown on {@code handle};
     * closed again if that fails.
     */
    private static FileSource hash(Path path, String name, FileTransfer handle)
            throws IOException, NoSuchAlgorithmException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            handle.hashedUpTo(0, size);
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
                handle.hashedUpTo(position, size);
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
        FileTransfer handle = new FileTransfer(() -> context.runOnPort(this::cancelledHere));
        transfer = handle;
        FileSession.offPort(context, "iocp4j-file-open", () -> {
            try {
                FileSource opened = store.open(name);
                // Never through a link: the store serves plain files of its directory only.
                SendableFile sendable = openSendable(opened, store.pathOf(name), false);
                return () -> offer(opened, sendable, handle);
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

    /**
     * Off the port: the file opened again by the transport, for writes that keep its bytes in the kernel; null when
     * the transport has none, or cannot open it (the stream then goes through user space, as the checksum was).
     * A file replaced between the two opens fails the receiver's checksum check, as one changed while it streams.
     */
    private SendableFile openSendable(FileSource opened, Path path, boolean followLinks) {
        try {
            return context.openSendable(path, followLinks);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no kernel-side write for " + path + ": " + e);
            return null;
        }
    }

    private void offer(FileSource opened, SendableFile sendable, FileTransfer handle) {
        boolean ours = state == State.IDLE || (state == State.PREPARING && transfer == handle);
        if (!ours || !connection.isOpen() || handle.result().isDone()) {
            FileSession.closeQuietly(opened.channel());
            if (sendable != null) {
                sendable.close();
            }
            handle.failed(Kind.BROKEN, 0, ours ? "connection closed" : "a file is already going out");
            return;
        }
        state = State.OFFERED;
        transfer = handle;
        source = opened;
        kernelFile = sendable;
        handle.offered(opened.offer());
        connection.send(FileMessages.offer(opened.offer()));
        context.closeGate();
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
        // The streamer owns the kernel-side file from here, and closes it once no write of it is in flight.
        SendableFile sendable = kernelFile;
        kernelFile = null;
        if (streamer == null) {
            streamer = new FileStreamer(context.pool());
        }
        streamer.start(source.channel(), sendable, offset, size, this);
        context.stream(streamer);
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
        context.openGate();
        if (earlyDone != null) {
            done(earlyDone);
        }
    }

    void rejected(int code, String reason) {
        FileTransfer handle = transfer;
        end();
        context.openGate();
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
        context.closeWith(CloseReason.CLOSED_LOCALLY);
    }

    /** Our side cancels: a sender that stops mid-stream closes the connection. */
    private void cancelledHere() {
        if (state == State.IDLE) {
            return;
        }
        FileTransfer handle = transfer;
        end();
        handle.failed(Kind.CANCELLED, 0, "cancelled");
        context.closeWith(CloseReason.CLOSED_LOCALLY);
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
        if (kernelFile != null) {
            kernelFile.close();
            kernelFile = null;
        }
    }
}
