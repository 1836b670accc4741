package io.iocp4j.proxy;

import java.util.Arrays;
import java.util.HexFormat;

/** One type-length-value entry of a version 2 header, as received. Immutable. */
public final class ProxyTlv {
    public static final int ALPN = 0x01;
    public static final int AUTHORITY = 0x02;
    public static final int CRC32C = 0x03;
    public static final int NOOP = 0x04;
    public static final int UNIQUE_ID = 0x05;
    public static final int SSL = 0x20;
    public static final int SSL_VERSION = 0x21;
    public static final int SSL_CN = 0x22;
    public static final int SSL_CIPHER = 0x23;
    public static final int SSL_SIG_ALG = 0x24;
    public static final int SSL_KEY_ALG = 0x25;
    public static final int NETNS = 0x30;

    private final int type;
    private final byte[] value;

    /** @throws IllegalArgumentException when {@code type} is not one byte or {@code value} is over 65,535 bytes */
    public ProxyTlv(int type, byte[] value) {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("type=" + type + " (one byte, 0 to 255)");
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("value.length=" + value.length + " (at most 65535)");
        }
        this.type = type;
        this.value = value.clone();
    }

    public int type() {
        return type;
    }

    /** A copy of the value's bytes. */
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The value, for the decoders of this package, without a copy. */
    byte[] bytes() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyTlv tlv && tlv.type == type && Arrays.equals(tlv.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("TLV(0x%02x, %s)", type, HexFormat.of().formatHex(value));
    }
}
