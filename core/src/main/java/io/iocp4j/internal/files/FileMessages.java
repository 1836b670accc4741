package io.iocp4j.internal.files;

import io.iocp4j.file.FileOffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The file messages of docs/protocol.md: type bytes, and bodies built ready to send as one frame each. */
final class FileMessages {
    static final int FILE_OFFER = 0x10;
    static final int FILE_ACCEPT = 0x11;
    static final int FILE_REJECT = 0x12;
    static final int FILE_DONE = 0x13;
    static final int FILE_GET = 0x14;
    static final int FILE_CANCEL = 0x15;
    static final int ERROR = 0x7F;

    static final int ERROR_MALFORMED_BODY = 4;
    static final int ERROR_UNEXPECTED = 5;

    /** FILE_OFFER before its name: u64 size, 32 bytes of SHA-256, u16 name length. */
    static final int OFFER_FIXED = 8 + 32 + 2;

    private FileMessages() {
    }

    static ByteBuffer offer(FileOffer offer) {
        byte[] name = offer.name().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + OFFER_FIXED + name.length).put((byte) FILE_OFFER).putLong(offer.size())
                .put(offer.sha256()).putShort((short) name.length).put(name).flip();
    }

    static ByteBuffer accept(long offset) {
        return ByteBuffer.allocate(9).put((byte) FILE_ACCEPT).putLong(offset).flip();
    }

    static ByteBuffer done(int status) {
        return ByteBuffer.allocate(2).put((byte) FILE_DONE).put((byte) status).flip();
    }

    static ByteBuffer get(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + bytes.length).put((byte) FILE_GET).putShort((short) bytes.length).put(bytes)
                .flip();
    }

    /** FILE_REJECT, FILE_CANCEL or ERROR: a u16 code and a UTF-8 text. */
    static ByteBuffer coded(int type, int code, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + bytes.length).put((byte) type).putShort((short) code).put(bytes).flip();
    }

    /** The UTF-8 text after a u16 code. */
    static String text(ByteBuffer body) {
        ByteBuffer text = body.slice(body.position() + 2, body.remaining() - 2);
        return StandardCharsets.UTF_8.decode(text).toString();
    }
}
