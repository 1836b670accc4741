package io.iocp4j.bench.hostile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames the attackers send, built byte for byte from the wire protocol's documentation (docs/protocol.md),
 * not from the server's own codec: a measuring tool that shared the server's encoder would share its mistakes.
 *
 * <pre>
 * +----------------+------+----------------------+
 * | length (u32 BE)| type | body (length - 1)    |
 * +----------------+------+----------------------+
 * </pre>
 */
final class WireFrames {
    static final int TEXT = 0x01;
    static final int PING = 0x02;
    static final int PONG = 0x03;
    static final int FILE_OFFER = 0x10;
    static final int FILE_ACCEPT = 0x11;
    static final int FILE_REJECT = 0x12;
    static final int ERROR = 0x7F;

    static final int IDLE_TIMEOUT = 7;
    static final int SHUTTING_DOWN = 8;

    static final int HEADER_BYTES = 4;
    static final int LONGEST_PING_BODY = 64;

    private WireFrames() {
    }

    /** A whole frame: length, type, body. */
    static byte[] frame(int type, byte[] body) {
        return ByteBuffer.allocate(HEADER_BYTES + 1 + body.length).putInt(1 + body.length).put((byte) type)
                .put(body).array();
    }

    /** Only the length field of a frame that announces {@code length} bytes (type and body to follow). */
    static byte[] header(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length=" + length);
        }
        return ByteBuffer.allocate(HEADER_BYTES).putInt(length).array();
    }

    /** {@code count} PING frames back to back, each with a body of {@code bodyBytes} (69-byte frames at 64). */
    static byte[] pings(int count, int bodyBytes) {
        if (bodyBytes < 0 || bodyBytes > LONGEST_PING_BODY || count < 1) {
            throw new IllegalArgumentException("count=" + count + ", bodyBytes=" + bodyBytes);
        }
        byte[] one = frame(PING, new byte[bodyBytes]);
        ByteBuffer all = ByteBuffer.allocate(one.length * count);
        for (int i = 0; i < count; i++) {
            all.put(one);
        }
        return all.array();
    }

    /** A TEXT frame whose body is {@code bodyBytes} printable bytes. */
    static byte[] text(int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return frame(TEXT, body);
    }

    /** FILE_OFFER: u64 size, 32 bytes of SHA-256, u16 name length, the name in UTF-8. */
    static byte[] fileOffer(long size, byte[] sha256, String name) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256.length=" + sha256.length);
        }
        byte[] encodedName = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(8 + 32 + 2 + encodedName.length).putLong(size).put(sha256)
                .putShort((short) encodedName.length).put(encodedName);
        return frame(FILE_OFFER, body.array());
    }
}
