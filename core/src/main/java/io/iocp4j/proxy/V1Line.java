package io.iocp4j.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The text header, {@code PROXY TCP4 192.0.2.1 198.51.100.2 51000 443\r\n}: {@code PROXY}, the protocol, source and
 * destination addresses, source and destination ports, each field after exactly one space, and CRLF.
 * {@code PROXY UNKNOWN} may be followed by anything up to the CRLF, which is ignored.
 */
final class V1Line {
    /** The longest line a sender may write, CRLF included (a TCP6 line of full-length addresses is 104). */
    static final int MAX_BYTES = 107;
    static final byte[] PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PORT = 65_535;
    /** {@code ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}. */
    private static final int MAX_IPV6_CHARS = 39;

    private V1Line() {
    }

    /**
     * Parses {@code line[0, length)}, which starts with {@link #PREFIX} and ends with LF.
     *
     * @throws MalformedHeader naming the rule the line breaks
     */
    static ProxyHeader parse(byte[] line, int length) {
        if (length < PREFIX.length + 2 || line[length - 2] != '\r') {
            throw new MalformedHeader(ProxyHeaderError.V1_MISSING_CRLF, "the version 1 line ends with a bare LF");
        }
        int end = length - 2;
        int at = PREFIX.length;
        int protocolEnd = fieldEnd(line, at, end);
        if (matches(line, at, protocolEnd, "UNKNOWN")) {
            return ProxyHeader.withoutAddresses(1, ProxyHeader.Command.PROXY);
        }
        ProxyHeader.Family family;
        if (matches(line, at, protocolEnd, "TCP4")) {
            family = ProxyHeader.Family.TCP4;
        } else if (matches(line, at, protocolEnd, "TCP6")) {
            family = ProxyHeader.Family.TCP6;
        } else {
            throw new MalformedHeader(ProxyHeaderError.V1_BAD_PROTOCOL, "version 1 protocol '"
                    + text(line, at, protocolEnd) + "' is none of TCP4, TCP6, UNKNOWN");
        }
        int[] bounds = fields(line, protocolEnd, end);
        InetAddress sourceAddress = address(family, line, bounds[0], bounds[1]);
        InetAddress destinationAddress = address(family, line, bounds[2], bounds[3]);
        int sourcePort = port(line, bounds[4], bounds[5]);
        int destinationPort = port(line, bounds[6], bounds[7]);
        return ProxyHeader.relayed(1, family, new InetSocketAddress(sourceAddress, sourcePort),
                new InetSocketAddress(destinationAddress, destinationPort), List.of());
    }

    /** The start and end of each of the four fields after the protocol, which ends at {@code from}. */
    private static int[] fields(byte[] line, int from, int end) {
        int[] bounds = new int[8];
        int at = from;
        for (int field = 0; field < 4; field++) {
            if (at >= end || line[at] != ' ') {
                throw new MalformedHeader(ProxyHeaderError.V1_BAD_FORMAT, "the version 1 line has " + field
                        + " fields after its protocol, not 4");
            }
            at++;
            int fieldEnd = fieldEnd(line, at, end);
            if (fieldEnd == at) {
                throw new MalformedHeader(ProxyHeaderError.V1_BAD_FORMAT, "field " + (field + 1) + " of the "
                        + "version 1 line is empty (two spaces in a row, or a space before CRLF)");
            }
            bounds[field * 2] = at;
            bounds[field * 2 + 1] = fieldEnd;
            at = fieldEnd;
        }
        if (at != end) {
            throw new MalformedHeader(ProxyHeaderError.V1_BAD_FORMAT, "the version 1 line has more than 4 fields "
                    + "after its protocol");
        }
        return bounds;
    }

    private static int fieldEnd(byte[] line, int from, int end) {
        int at = from;
        while (at < end && line[at] != ' ') {
            at++;
        }
        return at;
    }

    private static InetAddress address(ProxyHeader.Family family, byte[] line, int from, int to) {
        return family == ProxyHeader.Family.TCP4 ? ipv4(line, from, to) : ipv6(line, from, to);
    }

    /** Four decimal numbers 0 to 255 between dots, none with a leading zero (which some would read as octal). */
    private static InetAddress ipv4(byte[] line, int from, int to) {
        byte[] bytes = new byte[4];
        int at = from;
        for (int part = 0; part < 4; part++) {
            int start = at;
            int value = 0;
            while (at < to && isDigit(line[at]) && at - start < 3) {
                value = value * 10 + line[at] - '0';
                at++;
            }
            int digits = at - start;
            boolean separatorOk = part < 3 ? at < to && line[at] == '.' : at == to;
            if (digits == 0 || !separatorOk || value > 255 || (digits > 1 && line[start] == '0')) {
                throw badAddress("TCP4", line, from, to);
            }
            bytes[part] = (byte) value;
            at++;
        }
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Hexadecimal groups and colons only: no dotted IPv4 inside (nor an IPv4 address alone), no zone, no brackets.
     * An IPv4-mapped address comes back as its IPv4 address, as the JDK reports such peers everywhere.
     */
    private static InetAddress ipv6(byte[] line, int from, int to) {
        if (to - from > MAX_IPV6_CHARS) {
            throw badAddress("TCP6", line, from, to);
        }
        for (int at = from; at < to; at++) {
            byte c = line[at];
            if (!(isDigit(c) || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw badAddress("TCP6", line, from, to);
            }
        }
        try {
            return Inet6Address.ofLiteral(text(line, from, to));
        } catch (IllegalArgumentException e) {
            throw badAddress("TCP6", line, from, to);
        }
    }

    private static int port(byte[] line, int from, int to) {
        int value = 0;
        boolean ok = to - from <= 5 && (to - from == 1 || line[from] != '0');
        for (int at = from; ok && at < to; at++) {
            ok = isDigit(line[at]);
            value = value * 10 + line[at] - '0';
        }
        if (!ok || value > MAX_PORT) {
            throw new MalformedHeader(ProxyHeaderError.V1_BAD_PORT, "version 1 port '" + text(line, from, to)
                    + "' is not a number from 0 to 65535 without leading zeros");
        }
        return value;
    }

    private static MalformedHeader badAddress(String family, byte[] line, int from, int to) {
        return new MalformedHeader(ProxyHeaderError.V1_BAD_ADDRESS, "'" + text(line, from, to) + "' is not a "
                + (family.equals("TCP4") ? "dotted IPv4 address" : "hexadecimal IPv6 address") + " for " + family);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean matches(byte[] line, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (line[from + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes for a message, with anything outside printable ASCII shown as '?'. */
    private static String text(byte[] line, int from, int to) {
        StringBuilder text = new StringBuilder(to - from);
        for (int at = from; at < to; at++) {
            text.append(line[at] >= 0x20 && line[at] < 0x7F ? (char) line[at] : '?');
        }
        return text.toString();
    }
}
