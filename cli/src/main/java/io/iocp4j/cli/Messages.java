package io.iocp4j.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds message bodies: a type byte and what follows it, ready to send as one frame. */
final class Messages {
    private Messages() {
    }

    static ByteBuffer typed(int type, byte[] body) {
        return ByteBuffer.allocate(1 + body.length).put((byte) type).put(body).flip();
    }

    /** ERROR or FILE_REJECT: a u16 code and a UTF-8 text. */
    static ByteBuffer coded(int type, int code, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + bytes.length).put((byte) type).putShort((short) code).put(bytes).flip();
    }

    static ByteBuffer error(ErrorCode code, String message) {
        return coded(MessageType.ERROR, code.code, message);
    }
}
