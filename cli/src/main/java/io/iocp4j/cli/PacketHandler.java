package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * The packet port of the demo server: TEXT echo, PING/PONG, and the protocol's answers to everything else. This
 * version stores no files, so no transfer is ever under way. A malformed body is reported before anything else
 * about the message.
 */
final class PacketHandler implements Handler {
    private static final int FILE_OFFER_FIXED = 8 + 32;
    private final int maxFrame;

    PacketHandler(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        int type = packet.get(0) & 0xFF;
        ByteBuffer body = packet.slice(1, packet.remaining() - 1);
        switch (type) {
            case MessageType.TEXT -> connection.send(packet);
            case MessageType.PING -> {
                if (body.remaining() > MessageType.MAX_PING_BODY) {
                    fail(connection, ErrorCode.MALFORMED_BODY, "PING body longer than 64 bytes");
                } else {
                    connection.send(ByteBuffer.wrap(new byte[]{MessageType.PONG}), body);
                }
            }
            case MessageType.PONG -> {
                if (body.remaining() > MessageType.MAX_PING_BODY) {
                    fail(connection, ErrorCode.MALFORMED_BODY, "PONG body longer than 64 bytes");
                }
            }
            case MessageType.FILE_ACCEPT -> unexpectedUnlessMalformed(connection, "FILE_ACCEPT", body.remaining() == 8);
            case MessageType.FILE_REJECT -> unexpectedUnlessMalformed(connection, "FILE_REJECT", body.remaining() >= 2);
            case MessageType.FILE_DONE -> unexpectedUnlessMalformed(connection, "FILE_DONE", body.remaining() == 1);
            case MessageType.FILE_CANCEL -> unexpectedUnlessMalformed(connection, "FILE_CANCEL", body.remaining() >= 2);
            case MessageType.ERROR -> unexpectedUnlessMalformed(connection, "ERROR", body.remaining() >= 2);
            case MessageType.FILE_GET -> answerFileRequest(connection, body, 0, FileRejectCode.NOT_FOUND,
                    "no such file");
            case MessageType.FILE_OFFER -> answerFileRequest(connection, body, FILE_OFFER_FIXED,
                    FileRejectCode.IO_ERROR, "this server does not store files");
            default -> fail(connection, ErrorCode.UNKNOWN_TYPE, "unknown message type 0x" + Integer.toHexString(type));
        }
    }

    /** FILE_GET and FILE_OFFER: fixed fields, then a u16 name length and the name, nothing after it. */
    private static void answerFileRequest(Connection connection, ByteBuffer body, int fixed, int refusal,
                                          String reason) {
        if (body.remaining() < fixed + 2) {
            fail(connection, ErrorCode.MALFORMED_BODY, "body shorter than its fixed fields");
            return;
        }
        int nameLength = Short.toUnsignedInt(body.getShort(fixed));
        if (body.remaining() != fixed + 2 + nameLength) {
            fail(connection, ErrorCode.MALFORMED_BODY, "name length does not match the body");
            return;
        }
        if (FileNames.validate(body.slice(fixed + 2, nameLength)) == null) {
            connection.send(Messages.coded(MessageType.FILE_REJECT, FileRejectCode.BAD_NAME, "bad file name"));
        } else {
            connection.send(Messages.coded(MessageType.FILE_REJECT, refusal, reason));
        }
    }

    private static void unexpectedUnlessMalformed(Connection connection, String name, boolean wellFormed) {
        if (!wellFormed) {
            fail(connection, ErrorCode.MALFORMED_BODY, name + " body has the wrong length");
        } else {
            fail(connection, ErrorCode.UNEXPECTED, name + " with no transfer under way");
        }
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        switch (error) {
            case TOO_LARGE -> fail(connection, ErrorCode.FRAME_TOO_LARGE, "frame longer than " + maxFrame + " bytes");
            case EMPTY -> fail(connection, ErrorCode.EMPTY_FRAME, "frame of length 0");
        }
    }

    @Override
    public void onShutdown(Connection connection) {
        connection.send(Messages.error(ErrorCode.SHUTTING_DOWN, "server shutting down"));
    }

    /** Sends ERROR, then closes once it is written. */
    private static void fail(Connection connection, ErrorCode code, String message) {
        connection.send(Messages.error(code, message));
        connection.closeAfterFlush();
    }
}
