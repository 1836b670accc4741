package io.iocp4j.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name a file has on disk: printable ASCII only, so it means the same bytes whatever the machine's locale (the
 * JDK turns path strings into bytes with the locale's charset, and under the C locale it cannot name a non-ASCII
 * file at all). Bytes outside 0x20..0x7E, '%', '~' and a leading '.' are written {@code %XX}; the server's own files
 * begin with '.', so no stored name can be one of them. A name whose escaped form would pass 255 bytes keeps a
 * prefix and ends with '~' and 32 hex digits of its SHA-256. Distinct names always map to distinct disk names.
 */
public final class DiskNames {
    static final int MAX_DISK_NAME = 255;
    private static final int HASH_HEX = 32;

    private DiskNames() {
    }

    /** The disk name of a valid protocol name. */
    public static String of(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder escaped = new StringBuilder(bytes.length + 16);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean plain = b >= 0x20 && b < 0x7F && b != '%' && b != '~' && !(i == 0 && b == '.');
            if (plain) {
                escaped.append((char) b);
            } else {
                escaped.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
            }
        }
        if (escaped.length() <= MAX_DISK_NAME) {
            return escaped.toString();
        }
        int keep = MAX_DISK_NAME - 1 - HASH_HEX;
        // Never cut an escape in half: the prefix must stay a prefix of the escaped form.
        while (keep > 0 && (escaped.charAt(keep - 1) == '%' || (keep >= 2 && escaped.charAt(keep - 2) == '%'))) {
            keep--;
        }
        return escaped.substring(0, keep) + "~" + sha256Hex(bytes).substring(0, HASH_HEX);
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
