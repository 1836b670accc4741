package io.iocp4j.file;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name a file has on disk. Where the JVM names files in UTF-8 (its {@code sun.jnu.encoding}, which follows
 * {@code LC_CTYPE}; the launchers make it so), a name is stored as the UTF-8 bytes it is, as any file server does.
 * Elsewhere (a C locale, under which the JDK cannot name a non-ASCII file at all) it falls back to printable ASCII,
 * with every byte outside 0x20..0x7E written {@code %XX}.
 *
 * <p>Both forms write '%', '~' and a leading '.' as {@code %XX}: the server's own files begin with '.', so no
 * stored name can be one of them, and '~' marks only the end of a shortened name. A name whose stored form would
 * pass 255 bytes keeps a prefix and ends with '~' and 32 hex digits of its SHA-256. Distinct names always map to
 * distinct disk names.
 */
public final class DiskNames {
    static final int MAX_DISK_NAME = 255;
    private static final int HASH_HEX = 32;
    /** Whether this JVM can name files with any UTF-8 name. */
    private static final boolean JVM_NAMES_FILES_IN_UTF8 = namesFilesInUtf8(System.getProperty("sun.jnu.encoding"));

    private DiskNames() {
    }

    /** The disk name of a valid protocol name, in the form this JVM can store. */
    public static String of(String name) {
        return JVM_NAMES_FILES_IN_UTF8 ? utf8(name) : escaped(name);
    }

    /** True when this JVM stores names as their UTF-8 bytes; false when it falls back to {@link #escaped}. */
    public static boolean keepsUtf8() {
        return JVM_NAMES_FILES_IN_UTF8;
    }

    /** The disk name as UTF-8: the name itself, but for '%', '~' and a leading '.'. */
    public static String utf8(String name) {
        return shorten(encode(name, false), name);
    }

    /** The disk name in printable ASCII, whatever the locale. */
    public static String escaped(String name) {
        return shorten(encode(name, true), name);
    }

    static boolean namesFilesInUtf8(String jnuEncoding) {
        try {
            return jnuEncoding != null && Charset.forName(jnuEncoding).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static StringBuilder encode(String name, boolean asciiOnly) {
        StringBuilder out = new StringBuilder(name.length() + 16);
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int width = Character.charCount(c);
            boolean reserved = c == '%' || c == '~' || (i == 0 && c == '.');
            boolean printableAscii = c >= 0x20 && c < 0x7F;
            if (!reserved && (printableAscii || !asciiOnly && c > 0x7F)) {
                out.appendCodePoint(c);
            } else {
                for (byte b : name.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
                }
            }
            i += width;
        }
        return out;
    }

    /** The encoded name, or a prefix of it and the name's hash when it passes 255 bytes. */
    private static String shorten(StringBuilder encoded, String name) {
        String whole = encoded.toString();
        if (whole.getBytes(StandardCharsets.UTF_8).length <= MAX_DISK_NAME) {
            return whole;
        }
        int room = MAX_DISK_NAME - 1 - HASH_HEX;
        int keep = 0;
        int bytes = 0;
        // Whole code points only, and never half an escape: the prefix stays a prefix of the encoded form.
        while (keep < whole.length()) {
            int next = whole.charAt(keep) == '%' ? keep + 3 : keep + Character.charCount(whole.codePointAt(keep));
            int width = whole.substring(keep, next).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + width > room) {
                break;
            }
            bytes += width;
            keep = next;
        }
        return whole.substring(0, keep) + "~"
                + sha256Hex(name.getBytes(StandardCharsets.UTF_8)).substring(0, HASH_HEX);
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
