package io.iocp4j.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary header. All numbers are big-endian.
 *
 * <pre>
 *  0                              12        13         14        16
 *  +------------------------------+---------+----------+---------+--------------------------+------------+
 *  | \r\n\r\n\0\r\nQUIT\n          | ver|cmd | fam|proto | length  | addresses (12, 36, 216)  | TLVs ...   |
 *  +------------------------------+---------+----------+---------+--------------------------+------------+
 *                                  2  | 0 LOCAL, 1 PROXY             \______ length bytes after byte 16 ______/
 *                                       fam 0 UNSPEC 1 INET 2 INET6 3 UNIX; proto 0 UNSPEC 1 STREAM 2 DGRAM
 *
 *  INET:  src addr 4, dst addr 4, src port 2, dst port 2      INET6: src addr 16, dst addr 16, src port 2, dst port 2
 * </pre>
 */
final class V2Header {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int VERSION_COMMAND = 12;
    static final int FAMILY_PROTOCOL = 13;
    static final int LENGTH = 14;
    static final int FIXED_BYTES = 16;

    private static final int COMMAND_LOCAL = 0x0;
    private static final int COMMAND_PROXY = 0x1;
    private static final int FAMILY_UNSPEC = 0x0;
    private static final int FAMILY_INET = 0x1;
    private static final int FAMILY_INET6 = 0x2;
    private static final int FAMILY_UNIX = 0x3;
    private static final int PROTOCOL_STREAM = 0x1;
    private static final int PROTOCOL_DGRAM = 0x2;
    private static final int[] ADDRESS_BLOCK_BYTES = {0, 12, 36, 216};
    private static final int CRC32C_BYTES = 4;

    private V2Header() {
    }

    /**
     * Checks the fixed part in {@code bytes[0, 16)} and returns the header's whole length, 16 and its length field.
     *
     * @param maxTlvBytes how many bytes past its address block a header may have
     * @throws MalformedHeader for a version, command, family or protocol out of the specification, a PROXY command
     *                         this server cannot take, or a length too short for its addresses or over the limit
     */
    static int totalLength(byte[] bytes, int maxTlvBytes) {
        int version = (bytes[VERSION_COMMAND] & 0xF0) >>> 4;
        int command = bytes[VERSION_COMMAND] & 0x0F;
        int family = (bytes[FAMILY_PROTOCOL] & 0xF0) >>> 4;
        int protocol = bytes[FAMILY_PROTOCOL] & 0x0F;
        int length = TlvReader.unsignedShort(bytes, LENGTH);
        if (version != 2) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_VERSION, "version " + version + ", not 2");
        }
        if (command != COMMAND_LOCAL && command != COMMAND_PROXY) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_COMMAND, "command " + command
                    + " is neither LOCAL (0) nor PROXY (1)");
        }
        if (family > FAMILY_UNIX) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_FAMILY, "address family " + family
                    + " is none of UNSPEC, INET, INET6, UNIX (0 to 3)");
        }
        if (protocol > PROTOCOL_DGRAM) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_PROTOCOL, "transport protocol " + protocol
                    + " is none of UNSPEC, STREAM, DGRAM (0 to 2)");
        }
        if (command == COMMAND_PROXY && family == FAMILY_UNIX) {
            throw new MalformedHeader(ProxyHeaderError.V2_UNSUPPORTED, "a client on a UNIX socket (family 3) has "
                    + "no address a TCP server can use");
        }
        if (command == COMMAND_PROXY && family != FAMILY_UNSPEC && protocol == PROTOCOL_DGRAM) {
            throw new MalformedHeader(ProxyHeaderError.V2_UNSUPPORTED, "a datagram client (protocol 2) relayed to a "
                    + "TCP server");
        }
        int addressBytes = ADDRESS_BLOCK_BYTES[family];
        if (carriesAddresses(command, family, protocol) && length < addressBytes) {
            throw new MalformedHeader(ProxyHeaderError.V2_LENGTH_TOO_SHORT, "length " + length + " is shorter than "
                    + "the " + addressBytes + " bytes of family " + family + "'s addresses");
        }
        if (length > addressBytes + maxTlvBytes) {
            throw new MalformedHeader(ProxyHeaderError.V2_TOO_LONG, "length " + length + " is over the "
                    + addressBytes + " bytes of addresses and " + maxTlvBytes + " of TLVs allowed");
        }
        return FIXED_BYTES + length;
    }

    private static boolean carriesAddresses(int command, int family, int protocol) {
        return command == COMMAND_PROXY && (family == FAMILY_INET || family == FAMILY_INET6)
                && protocol == PROTOCOL_STREAM;
    }

    /**
     * Parses a whole header, {@code bytes[0, total)}, whose fixed part {@link #totalLength} accepted. A LOCAL
     * command, or a family or protocol left unspecified, keeps nothing of the block: the specification tells the
     * receiver to ignore it.
     *
     * @throws MalformedHeader for a TLV that runs past the header, a unique id too long, or a checksum that fails
     */
    static ProxyHeader parse(byte[] bytes, int total) {
        int command = bytes[VERSION_COMMAND] & 0x0F;
        int family = (bytes[FAMILY_PROTOCOL] & 0xF0) >>> 4;
        int protocol = bytes[FAMILY_PROTOCOL] & 0x0F;
        if (!carriesAddresses(command, family, protocol)) {
            return ProxyHeader.withoutAddresses(2, command == COMMAND_LOCAL
                    ? ProxyHeader.Command.LOCAL : ProxyHeader.Command.PROXY);
        }
        int addressLength = family == FAMILY_INET ? 4 : 16;
        int ports = FIXED_BYTES + 2 * addressLength;
        InetSocketAddress source = new InetSocketAddress(address(bytes, FIXED_BYTES, addressLength),
                TlvReader.unsignedShort(bytes, ports));
        InetSocketAddress destination = new InetSocketAddress(address(bytes, FIXED_BYTES + addressLength,
                addressLength), TlvReader.unsignedShort(bytes, ports + 2));
        int tlvStart = FIXED_BYTES + ADDRESS_BLOCK_BYTES[family];
        List<ProxyTlv> tlvs = TlvReader.read(bytes, tlvStart, total, "header");
        check(tlvs, bytes, tlvStart, total);
        return ProxyHeader.relayed(2, family == FAMILY_INET ? ProxyHeader.Family.TCP4 : ProxyHeader.Family.TCP6,
                source, destination, tlvs);
    }

    private static InetAddress address(byte[] bytes, int from, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + length));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The rules on TLV values this parser can check: sizes, and the checksum over the whole header. */
    private static void check(List<ProxyTlv> tlvs, byte[] bytes, int tlvStart, int total) {
        int at = tlvStart;
        for (ProxyTlv tlv : tlvs) {
            int valueStart = at + TlvReader.TLV_HEAD_BYTES;
            if (tlv.type() == ProxyTlv.UNIQUE_ID && tlv.length() > ProxyHeader.MAX_UNIQUE_ID_BYTES) {
                throw new MalformedHeader(ProxyHeaderError.V2_BAD_TLV, "the unique id has " + tlv.length()
                        + " bytes, over " + ProxyHeader.MAX_UNIQUE_ID_BYTES);
            }
            if (tlv.type() == ProxyTlv.CRC32C) {
                checkCrc(tlv, bytes, valueStart, total);
            }
            at = valueStart + tlv.length();
        }
    }

    /** The CRC32C of the whole header with the checksum's own four bytes read as zeros. */
    private static void checkCrc(ProxyTlv tlv, byte[] bytes, int valueStart, int total) {
        if (tlv.length() != CRC32C_BYTES) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_TLV, "the CRC32C TLV has " + tlv.length()
                    + " bytes, not 4");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, valueStart);
        crc.update(new byte[CRC32C_BYTES]);
        crc.update(bytes, valueStart + CRC32C_BYTES, total - valueStart - CRC32C_BYTES);
        long sent = (long) TlvReader.unsignedShort(bytes, valueStart) << 16 | TlvReader.unsignedShort(bytes,
                valueStart + 2);
        if (crc.getValue() != sent) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_CHECKSUM, String.format("CRC32C 0x%08x sent, "
                    + "0x%08x computed", sent, crc.getValue()));
        }
    }
}
