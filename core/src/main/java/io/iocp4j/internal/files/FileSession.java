package io.iocp4j.internal.files;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileNames;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransfers;
import io.iocp4j.internal.connection.FrameProtocol;
import io.iocp4j.internal.connection.ProtocolContext;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Supplier;

import static io.iocp4j.internal.files.FileMessages.ERROR_MALFORMED_BODY;
import static io.iocp4j.internal.files.FileMessages.ERROR_UNEXPECTED;

/**
 * The file part of docs/protocol.md on one connection of a {@link FileHandler}: the file frames (0x10 to 0x15) come
 * here instead of the handler's {@code onPacket}. One file may go out ({@link OutgoingFile}) and one come in
 * ({@link IncomingFile}) at a time; they are independent, since each direction has its own raw stream.
 *
 * <p>Port thread only, except {@link #send} and {@link #request}; the slow parts (hashing, opening files) run on a
 * virtual thread and come back through the port. It reaches its connection through a {@link ProtocolContext}.
 */
public final class FileSession implements FrameProtocol, FileTransfers {
    private static final System.Logger LOG = System.getLogger(FileSession.class.getName());

    private final ProtocolContext context;
    private final Connection connection;
    private final FileHandler handler;
    private final OutgoingFile outgoing;
    private final IncomingFile incoming;

    public FileSession(ProtocolContext context, FileHandler handler) {
        this.context = context;
        this.connection = context.connection();
        this.handler = handler;
        this.outgoing = new OutgoingFile(this, context);
        this.incoming = new IncomingFile(this, context, handler);
    }

    /** True for the frames this session takes: the six file messages. */
    @Override
    public boolean claims(ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            return false;
        }
        int type = frame.get(frame.position()) & 0xFF;
        return type >= FileMessages.FILE_OFFER && type <= FileMessages.FILE_CANCEL;
    }

    /** Any thread: the file coming in now, or null. */
    public FileTransfer incoming() {
        return incoming.transfer();
    }

    /** Any thread: the file going out now, or null. */
    public FileTransfer outgoing() {
        return outgoing.transfer();
    }

    /** Any thread. */
    @Override
    public FileTransfer send(Path path, String name) {
        context.ensureSendsPassUnchanged();
        return outgoing.send(path, name);
    }

    /** Any thread. */
    @Override
    public FileTransfer request(String name) {
        context.ensureSendsPassUnchanged();
        return incoming.request(name);
    }

    @Override
    public void onFrame(ByteBuffer frame) {
        int type = frame.get(frame.position()) & 0xFF;
        ByteBuffer body = frame.slice(frame.position() + 1, frame.remaining() - 1);
        switch (type) {
            case FileMessages.FILE_OFFER -> onOffer(body);
            case FileMessages.FILE_ACCEPT -> {
                if (wellFormed(body.remaining() == 8, "FILE_ACCEPT") && expected(outgoing.offered(), "FILE_ACCEPT")) {
                    outgoing.accepted(body.getLong(0));
                }
            }
            case FileMessages.FILE_REJECT -> {
                if (wellFormed(body.remaining() >= 2, "FILE_REJECT")) {
                    onReject(Short.toUnsignedInt(body.getShort(0)), FileMessages.text(body));
                }
            }
            case FileMessages.FILE_DONE -> {
                boolean valid = body.remaining() == 1 && (body.get(0) & 0xFF) <= 1;
                if (wellFormed(valid, "FILE_DONE") && expected(outgoing.awaitsDone(), "FILE_DONE")) {
                    outgoing.done(body.get(0) == 0);
                }
            }
            case FileMessages.FILE_GET -> onGet(body);
            case FileMessages.FILE_CANCEL -> {
                if (wellFormed(body.remaining() >= 2, "FILE_CANCEL") && expected(outgoing.awaitsDone(),
                        "FILE_CANCEL")) {
                    outgoing.cancelledByPeer(Short.toUnsignedInt(body.getShort(0)), FileMessages.text(body));
                }
            }
            default -> throw new IllegalArgumentException("type=" + type);
        }
    }

    private void onOffer(ByteBuffer body) {
        String name = name(body, FileMessages.OFFER_FIXED - 2, "FILE_OFFER");
        if (name == null || !expected(incoming.idle(), "FILE_OFFER")) {
            return;
        }
        if (name.isEmpty()) {
            reject(FileRejectCode.BAD_NAME, "bad file name");
            return;
        }
        long size = body.getLong(0);
        byte[] sha256 = new byte[32];
        body.get(8, sha256);
        if (size < 0) {
            reject(FileRejectCode.TOO_LARGE, "file of more than 2^63 bytes");
            return;
        }
        incoming.offered(new FileOffer(name, size, sha256));
    }

    private void onGet(ByteBuffer body) {
        String name = name(body, 0, "FILE_GET");
        if (name == null || !expected(outgoing.idle(), "FILE_GET")) {
            return;
        }
        if (name.isEmpty()) {
            reject(FileRejectCode.BAD_NAME, "bad file name");
            return;
        }
        if (!context.sendsPassUnchanged()) {
            // A file goes from disk to socket as it is: past a stage such as TLS it would leave in the clear.
            reject(FileRejectCode.IO_ERROR, "files are not served over a stage that changes what is sent (TLS)");
            return;
        }
        FileDecision decision;
        try {
            decision = handler.onFileRequest(connection, name);
        } catch (RuntimeException e) {
            decision = FileDecision.reject(FileRejectCode.IO_ERROR, "the server failed: " + e);
        }
        if (decision.store() == null) {
            reject(decision.code(), decision.reason());
        } else {
            outgoing.serve(decision.store(), name);
        }
    }

    private void onReject(int code, String reason) {
        if (outgoing.offered()) {
            outgoing.rejected(code, reason);
        } else if (incoming.requested()) {
            incoming.requestRejected(code, reason);
        } else {
            fail(ERROR_UNEXPECTED, "FILE_REJECT with no transfer under way");
        }
    }

    /**
     * The name after {@code fixed} bytes and a u16 length; "" when its bytes break the naming rule (FILE_REJECT 2),
     * null when the body is malformed (the connection got ERROR 4).
     */
    private String name(ByteBuffer body, int fixed, String message) {
        if (!wellFormed(body.remaining() >= fixed + 2, message)) {
            return null;
        }
        int length = Short.toUnsignedInt(body.getShort(fixed));
        if (!wellFormed(body.remaining() == fixed + 2 + length, message)) {
            return null;
        }
        String name = FileNames.validate(body.slice(fixed + 2, length));
        return name == null ? "" : name;
    }

    private boolean wellFormed(boolean wellFormed, String message) {
        if (!wellFormed) {
            fail(ERROR_MALFORMED_BODY, "malformed " + message + " body");
        }
        return wellFormed;
    }

    private boolean expected(boolean expected, String message) {
        if (!expected) {
            fail(ERROR_UNEXPECTED, message + " with no transfer under way");
        }
        return expected;
    }

    void reject(int code, String reason) {
        connection.send(FileMessages.coded(FileMessages.FILE_REJECT, code, reason));
    }

    /** A protocol violation: ERROR, then the connection closes once it is written. */
    void fail(int code, String message) {
        connection.send(FileMessages.coded(FileMessages.ERROR, code, message));
        connection.closeAfterFlush();
    }

    /** Port thread: no file is offered, asked for, or on its way in either direction. */
    @Override
    public boolean idle() {
        return outgoing.idle() && incoming.idle() && !incoming.requested();
    }

    /** Port thread, the connection was released: whatever was under way is over. */
    @Override
    public void released() {
        outgoing.released();
        incoming.released();
    }

    static FileTransferException broken(String why) {
        return new FileTransferException(FileTransferException.Kind.BROKEN, 0, why);
    }

    /**
     * Port thread: runs {@code slow} on a virtual thread, so the I/O thread never waits for a disk or a checksum,
     * then runs what it returns back on the port thread. The connection holds a reference for it meanwhile, as for
     * any operation in flight: it is not released, nor its port stopped, before the result is applied, so a file
     * opened off the port is always closed or used, even when the connection ends or the server shuts down first.
     */
    static void offPort(ProtocolContext context, String name, Supplier<Runnable> slow) {
        context.acquire();
        Thread.ofVirtual().name(name).start(() -> {
            Runnable then;
            try {
                then = slow.get();
            } catch (RuntimeException | Error e) {
                then = () -> {
                    LOG.log(System.Logger.Level.ERROR, name + " failed on " + context.connection(), e);
                    context.closeWith(CloseReason.IO_ERROR);
                };
            }
            Runnable result = then;
            context.runOnPort(() -> {
                try {
                    result.run();
                } finally {
                    context.dropReference();
                }
            });
        });
    }

    static void closeQuietly(java.nio.channels.FileChannel channel) {
        try {
            channel.close();
        } catch (java.io.IOException ignored) {
            // Only read from: a close loses nothing.
        }
    }

    static void complete(FileTransfer transfer, FileTransferException error) {
        if (error == null) {
            transfer.succeeded();
        } else {
            transfer.failed(error.kind(), error.code(), error.getMessage());
        }
    }
}
