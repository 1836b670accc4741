package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * The packet port of the demo server: TEXT echo, PING/PONG, and the protocol's answer to everything else. This
 * version stores no files, so no transfer is ever under way. Whether a body is malformed is decided before
 * anything else about the message. Stateless, so one instance serves every connection on every I/O thread and
 * worker; with workers, its answers (and the close after an ERROR) keep packet order by the server's ordering.
 */
final class PacketHandler implements Handler {
    /** FILE_OFFER before its name: u64 size, 32 bytes of SHA-256. */
    private static final int FILE_OFFER_FIXED = 8 + 32;
    /** Read only and read with absolute gets by the encoder, so every I/O thread may share it. */
    private static final ByteBuffer PONG_TYPE = ByteBuffer.wrap(new byte[]{MessageType.PONG}).asReadOnlyBuffer();

    private final int maxFrame;

    PacketHandler(int maxFrame) {
        this.maxFrame = maxFrame;
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
            case MessageType.FILE_ACCEPT -> unexpected(connection, "FILE_ACCEPT", body.remaining() == 8);
            case MessageType.FILE_REJECT -> unexpected(connection, "FILE_REJECT", body.remaining() >= 2);
            case MessageType.FILE_DONE -> unexpected(connection, "FILE_DONE",
                    body.remaining() == 1 && (body.get(0) & 0xFF) <= FileDoneStatus.MISMATCH);
            case MessageType.FILE_CANCEL -> unexpected(connection, "FILE_CANCEL", body.remaining() >= 2);
            case MessageType.ERROR -> unexpected(connection, "ERROR", body.remaining() >= 2);
            case MessageType.FILE_GET -> answerFileRequest(connection, "FILE_GET", body, 0,
                    FileRejectCode.NOT_FOUND, "no such file");
            case MessageType.FILE_OFFER -> answerFileRequest(connection, "FILE_OFFER", body, FILE_OFFER_FIXED,
                    FileRejectCode.IO_ERROR, "this server does not store files");
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

    /** FILE_GET and FILE_OFFER: fixed fields, then a u16 name length and the name, nothing after it. */
    private static void answerFileRequest(Connection connection, String name, ByteBuffer body, int fixed,
                                          int refusal, String reason) {
        if (body.remaining() < fixed + 2) {
            fail(connection, ErrorCode.MALFORMED_BODY, name + " body shorter than its fixed fields");
            return;
        }
        int nameLength = Short.toUnsignedInt(body.getShort(fixed));
        if (body.remaining() != fixed + 2 + nameLength) {
            fail(connection, ErrorCode.MALFORMED_BODY, name + " name length " + nameLength
                    + " does not match the body");
            return;
        }
        if (FileNames.validate(body.slice(fixed + 2, nameLength)) == null) {
            connection.send(Messages.coded(MessageType.FILE_REJECT, FileRejectCode.BAD_NAME, "bad file name"));
        } else {
            connection.send(Messages.coded(MessageType.FILE_REJECT, refusal, reason));
        }
    }

    /** A message that only belongs to a transfer, which is never under way here: ERROR 5, unless malformed. */
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
