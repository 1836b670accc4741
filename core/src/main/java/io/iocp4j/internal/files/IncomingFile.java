package io.iocp4j.internal.files;

import io.iocp4j.Connection;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileReception;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransferException.Kind;
import io.iocp4j.internal.connection.ProtocolContext;
import io.iocp4j.internal.connection.RawSink;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The file a connection receives: the handler decides on the FILE_OFFER, the store opens the partial file (and
 * hashes what an earlier transfer left) off the port, FILE_ACCEPT goes out with the offset held, the raw stream is
 * written to the file straight from the receive buffers, and FILE_DONE reports the checksum. A large file's hash
 * may still be running when its last byte arrives: the connection then holds a reference and reads nothing more
 * until FILE_DONE is sent, so that no reply to what follows overtakes it.
 *
 * <p>Port thread only, except {@link #request} and {@link FileTransfer#cancel()}, which hand their work to it.
 */
final class IncomingFile implements RawSink {
    private enum State { IDLE, REQUESTED, PREPARING, STREAMING, VERIFYING, DISCARDING }

    private final FileSession session;
    private final ProtocolContext context;
    private final Connection connection;
    private final FileHandler handler;
    private State state = State.IDLE;
    /** Volatile only so that a listing of transfers in progress may read it from another thread. */
    private volatile FileTransfer transfer;
    private FileOffer offer;
    private FileReception reception;

    IncomingFile(FileSession session, ProtocolContext context, FileHandler handler) {
        this.session = session;
        this.context = context;
        this.connection = context.connection();
        this.handler = handler;
    }

    /** Any thread: the transfer under way, or null. */
    FileTransfer transfer() {
        return transfer;
    }

    /** No offer is being received (a FILE_GET may be waiting for its answer). */
    boolean idle() {
        return state == State.IDLE || state == State.REQUESTED;
    }

    boolean requested() {
        return state == State.REQUESTED;
    }

    /** Any thread: sends FILE_GET; the answer's FILE_OFFER goes to the handler like any other. */
    FileTransfer request(String name) {
        FileTransfer handle = new FileTransfer(() -> context.runOnPort(this::cancelledHere));
        context.runOnPort(() -> {
            if (state != State.IDLE) {
                handle.failed(Kind.BROKEN, 0, "a file is already coming in");
                return;
            }
            if (!connection.send(FileMessages.get(name))) {
                handle.failed(Kind.BROKEN, 0, "connection closed");
                return;
            }
            state = State.REQUESTED;
            transfer = handle;
        });
        return handle;
    }

    void requestRejected(int code, String reason) {
        FileTransfer handle = transfer;
        reset();
        handle.failed(Kind.REJECTED, code, reason);
    }

    void offered(FileOffer offered) {
        FileDecision decision;
        try {
            decision = handler.onFileOffer(connection, offered);
        } catch (RuntimeException e) {
            decision = FileDecision.reject(FileRejectCode.IO_ERROR, "the receiver failed: " + e);
        }
        FileTransfer handle = transfer != null ? transfer
                : new FileTransfer(() -> context.runOnPort(this::cancelledHere));
        handle.offered(offered);
        if (decision.store() == null) {
            session.reject(decision.code(), decision.reason());
            if (transfer != null) {
                reset();
                handle.failed(Kind.REJECTED, decision.code(), decision.reason());
            }
            return;
        }
        state = State.PREPARING;
        transfer = handle;
        offer = offered;
        FileStore store = decision.store();
        FileSession.offPort(context, "iocp4j-file-receive", () -> {
            try {
                FileReception opened = store.receive(offered);
                return () -> begin(opened, handle);
            } catch (FileTransferException e) {
                return () -> {
                    if (transfer == handle) {
                        reset();
                        session.reject(e.code(), e.getMessage());
                    }
                    FileSession.complete(handle, e);
                };
            }
        });
    }

    private void begin(FileReception opened, FileTransfer handle) {
        if (transfer != handle || !connection.isOpen()) {
            opened.abandon();
            handle.failed(Kind.BROKEN, 0, "connection closed");
            return;
        }
        state = State.STREAMING;
        reception = opened;
        handle.started(opened.offset());
        connection.send(FileMessages.accept(opened.offset()));
        try {
            handler.onFileStarted(connection, handle);
        } catch (RuntimeException e) {
            // The transfer goes on; the handler only watches it.
        }
        if (opened.remaining() == 0) {
            end();
        } else {
            context.divert(opened.remaining(), this);
        }
    }

    @Override
    public void accept(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (state == State.STREAMING) {
            reception.write(bytes);
            transfer.progressed(length);
        }
    }

    @Override
    public boolean end() {
        if (state == State.DISCARDING) {
            state = State.IDLE;
            return false;
        }
        if (state != State.STREAMING) {
            reset();
            return false;
        }
        FileReception finished = reception;
        FileTransfer handle = transfer;
        FileOffer ended = offer;
        reset();
        state = State.VERIFYING;
        context.acquire();
        Verification verification = new Verification(handle, ended);
        finished.finish(verification);
        if (verification.settledHere) {
            verified(handle, ended, verification.error);
            context.dropReference();
            return false;
        }
        return true;
    }

    /** Where a reception's end lands: on the port thread at once, or from the hashing thread by a task for it. */
    private final class Verification implements Consumer<FileTransferException> {
        private final FileTransfer handle;
        private final FileOffer offer;
        boolean settledHere;
        FileTransferException error;

        Verification(FileTransfer handle, FileOffer offer) {
            this.handle = handle;
            this.offer = offer;
        }

        @Override
        public void accept(FileTransferException outcome) {
            if (context.inPortThread()) {
                settledHere = true;
                error = outcome;
                return;
            }
            context.runOnPort(() -> {
                try {
                    verified(handle, offer, outcome);
                    context.rawStreamSettled();
                } finally {
                    context.dropReference();
                }
            });
        }
    }

    private void verified(FileTransfer handle, FileOffer ended, FileTransferException error) {
        state = State.IDLE;
        connection.send(FileMessages.done(error == null ? 0 : 1));
        FileSession.complete(handle, error);
        tellHandler(ended, error);
    }

    /** Our side cancels: FILE_CANCEL, and the rest of the stream is read and dropped until the sender closes. */
    private void cancelledHere() {
        if (state == State.IDLE || state == State.VERIFYING) {
            // Every byte is in: the checksum decides, as FILE_DONE will say.
            return;
        }
        FileTransfer handle = transfer;
        FileOffer cancelled = offer;
        boolean streaming = state == State.STREAMING;
        if (reception != null) {
            reception.abandon();
        }
        reset();
        if (streaming) {
            state = State.DISCARDING;
            connection.send(FileMessages.coded(FileMessages.FILE_CANCEL, 0, "cancelled by the user"));
        }
        FileTransferException error = new FileTransferException(Kind.CANCELLED, 0, "cancelled");
        FileSession.complete(handle, error);
        if (cancelled != null) {
            tellHandler(cancelled, error);
        }
    }

    void released() {
        if (state == State.IDLE || state == State.DISCARDING) {
            return;
        }
        FileTransfer handle = transfer;
        FileOffer broken = offer;
        if (reception != null) {
            reception.abandon();
        }
        reset();
        FileTransferException error = FileSession.broken("connection closed during the transfer");
        FileSession.complete(handle, error);
        if (broken != null) {
            tellHandler(broken, error);
        }
    }

    private void tellHandler(FileOffer ended, FileTransferException error) {
        try {
            handler.onFileReceived(connection, ended, error);
        } catch (RuntimeException e) {
            handler.onError(connection, e);
        }
    }

    private void reset() {
        state = State.IDLE;
        transfer = null;
        offer = null;
        reception = null;
    }
}
