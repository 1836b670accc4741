package io.iocp4j.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a run of TLVs (one type byte, a 16-bit big-endian length, the value) that must end exactly at its end. */
final class TlvReader {
    /** Type and length. */
    static final int TLV_HEAD_BYTES = 3;

    private TlvReader() {
    }

    /**
     * The TLVs in {@code bytes[from, to)}; {@code where} names the run in messages ("header", "SSL TLV").
     *
     * @throws MalformedHeader {@link ProxyHeaderError#V2_BAD_TLV} when a TLV's head or value runs past {@code to}
     */
    static List<ProxyTlv> read(byte[] bytes, int from, int to, String where) {
        List<ProxyTlv> tlvs = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (to - at < TLV_HEAD_BYTES) {
                throw new MalformedHeader(ProxyHeaderError.V2_BAD_TLV, "a TLV at byte " + at + " of the " + where
                        + " has " + (to - at) + " bytes left for its 3-byte type and length");
            }
            int type = bytes[at] & 0xFF;
            int length = unsignedShort(bytes, at + 1);
            int valueStart = at + TLV_HEAD_BYTES;
            if (length > to - valueStart) {
                throw new MalformedHeader(ProxyHeaderError.V2_BAD_TLV, String.format("TLV 0x%02x at byte %d of the "
                        + "%s has length %d, past the %d bytes left", type, at, where, length, to - valueStart));
            }
            tlvs.add(new ProxyTlv(type, Arrays.copyOfRange(bytes, valueStart, valueStart + length)));
            at = valueStart + length;
        }
        return tlvs;
    }

    static int unsignedShort(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }
}
