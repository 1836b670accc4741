package io.iocp4j.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Builds headers byte by byte for the tests, as a sender would write them. */
final class HeaderBytes {
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int versionCommand;
    private final int familyProtocol;
    /** Where the CRC32C TLV's value starts in the body, or -1. */
    private int crcAt = -1;
    /** When set, the length field says this instead of the body's real length. */
    private int lengthOverride = -1;

    private HeaderBytes(int versionCommand, int familyProtocol) {
        this.versionCommand = versionCommand;
        this.familyProtocol = familyProtocol;
    }

    static byte[] v1(String line) {
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 header with these two bytes after the signature. */
    static HeaderBytes v2(int versionCommand, int familyProtocol) {
        return new HeaderBytes(versionCommand, familyProtocol);
    }

    HeaderBytes bytes(int... values) {
        for (int value : values) {
            body.write(value);
        }
        return this;
    }

    /** {@code count} zero bytes: an address block whose content does not matter. */
    HeaderBytes zeros(int count) {
        body.writeBytes(new byte[count]);
        return this;
    }

    HeaderBytes port(int port) {
        return bytes(port >>> 8, port & 0xFF);
    }

    HeaderBytes tlv(int type, byte[] value) {
        bytes(type, value.length >>> 8, value.length & 0xFF);
        body.writeBytes(value);
        return this;
    }

    HeaderBytes tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A CRC32C TLV, filled in by {@link #build()}. */
    HeaderBytes crc() {
        bytes(0x03, 0, 4);
        crcAt = body.size();
        return bytes(0, 0, 0, 0);
    }

    HeaderBytes lengthField(int length) {
        lengthOverride = length;
        return this;
    }

    byte[] build() {
        byte[] rest = body.toByteArray();
        int length = lengthOverride >= 0 ? lengthOverride : rest.length;
        byte[] header = new byte[16 + rest.length];
        System.arraycopy(V2_SIGNATURE, 0, header, 0, 12);
        header[12] = (byte) versionCommand;
        header[13] = (byte) familyProtocol;
        header[14] = (byte) (length >>> 8);
        header[15] = (byte) length;
        System.arraycopy(rest, 0, header, 16, rest.length);
        if (crcAt >= 0) {
            CRC32C crc = new CRC32C();
            crc.update(header);
            long value = crc.getValue();
            for (int i = 0; i < 4; i++) {
                header[16 + crcAt + i] = (byte) (value >>> (24 - 8 * i));
            }
        }
        return header;
    }
}
