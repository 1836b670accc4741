package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * The packet port of the demo server: TEXT echo, PING/PONG, the protocol's answer to everything else, and, with a
 * file store, uploads and downloads (the connection handles the file messages and asks only what to decide).
 * Whether a body is malformed is decided before anything else about the message. Stateless apart from the store,
 * which is thread-safe, so one instance serves every connection on every I/O thread and worker; with workers, its
 * answers (and the close after an ERROR) keep packet order by the server's ordering.
 */
final class PacketHandler implements FileHandler {
    /** Read only and read with absolute gets by the encoder, so every I/O thread may share it. */
    private static final ByteBuffer PONG_TYPE = ByteBuffer.wrap(new byte[]{MessageType.PONG}).asReadOnlyBuffer();

    private final int maxFrame;
    /** Where files are stored and served from; null when the server was started without a directory. */
    private final FileStore store;

    PacketHandler(int maxFrame, FileStore store) {
        this.maxFrame = maxFrame;
        this.store = store;
    }

    @Override
    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
        return store == null ? FileDecision.reject(FileRejectCode.IO_ERROR, "this server does not store files")
                : FileDecision.use(store);
    }

    @Override
    public FileDecision onFileRequest(Connection connection, String name) {
        return store == null ? FileDecision.reject(FileRejectCode.NOT_FOUND, "no such file")
                : FileDecision.use(store);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        int type = packet.get(packet.position()) & 0xFF;
        ByteBuffer body = packet.slice(packet.position() + 1, packet.remaining() - 1);
        switch (type) {
            case MessageType.TEXT -> connection.send(packet);
            case MessageType.PING -> {
                if (pingBodyFits(connection, body, "PING")) {
                    connection.send(PONG_TYPE, body);
                }
            }
            case MessageType.PONG -> pingBodyFits(connection, body, "PONG");
            case MessageType.ERROR -> unexpected(connection, "ERROR", body.remaining() >= 2);
            default -> fail(connection, ErrorCode.UNKNOWN_TYPE, "unknown message type " + MessageType.hex(type));
        }
    }

    private static boolean pingBodyFits(Connection connection, ByteBuffer body, String name) {
        if (body.remaining() <= MessageType.MAX_PING_BODY) {
            return true;
        }
        fail(connection, ErrorCode.MALFORMED_BODY, name + " body of " + body.remaining() + " bytes; at most "
                + MessageType.MAX_PING_BODY);
        return false;
    }

    /** A message the server never expects from a client: ERROR 5, unless malformed. */
    private static void unexpected(Connection connection, String name, boolean wellFormed) {
        if (wellFormed) {
            fail(connection, ErrorCode.UNEXPECTED, name + " with no transfer under way");
        } else {
            fail(connection, ErrorCode.MALFORMED_BODY, "malformed " + name + " body");
        }
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        switch (error) {
            case TOO_LARGE -> fail(connection, ErrorCode.FRAME_TOO_LARGE, "frame longer than " + maxFrame + " bytes");
            case EMPTY -> fail(connection, ErrorCode.EMPTY_FRAME, "frame of length 0");
        }
    }

    /** Over the connection limit: the library closes the connection once this is written. */
    @Override
    public void onOverLimit(Connection connection) {
        connection.send(Messages.error(ErrorCode.BUSY, "connection limit reached"));
    }

    /** Idle for too long: the library closes the connection once this is written. */
    @Override
    public void onIdleTimeout(Connection connection) {
        connection.send(Messages.error(ErrorCode.IDLE_TIMEOUT, "nothing received or sent for too long"));
    }

    @Override
    public void onShutdown(Connection connection) {
        // The library closes the connection once this is written.
        connection.send(Messages.error(ErrorCode.SHUTTING_DOWN, "server shutting down"));
    }

    /** Sends ERROR, then closes once it is written; nothing more is read from the connection. */
    private static void fail(Connection connection, ErrorCode code, String message) {
        connection.send(Messages.error(code, message));
        connection.closeAfterFlush();
    }
}
