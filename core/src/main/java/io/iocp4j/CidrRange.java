package io.iocp4j;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or one address
 * (a /32 or /128). Parsed from literals only: a host name is an error, never a DNS look-up.
 */
public final class CidrRange {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] network;
    private final int prefixLength;

    private CidrRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}.
     *
     * @throws IllegalArgumentException naming what is wrong: not an address literal, a prefix out of range, or
     *                                  bits set past the prefix (say {@code 10.0.0.0/8}, not {@code 10.1.2.3/8})
     */
    public static CidrRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address range");
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address, text);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (!digits.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("'" + text + "': the prefix length after '/' must be a number "
                        + "from 0 to " + bits);
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': prefix length " + prefix + " is over " + bits
                        + " for an " + (bits == 32 ? "IPv4" : "IPv6") + " address");
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("'" + text + "': bits are set past the /" + prefix + " prefix; the "
                    + "range is " + format(masked, prefix));
        }
        return new CidrRange(masked, prefix);
    }

    /** The range holding only {@code address}. */
    public static CidrRange of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new CidrRange(bytes, bytes.length * 8);
    }

    private static byte[] literal(String address, String whole) {
        try {
            if (address.indexOf(':') >= 0) {
                String bare = address.startsWith("[") && address.endsWith("]")
                        ? address.substring(1, address.length() - 1) : address;
                if (bare.indexOf('%') >= 0) {
                    throw new IllegalArgumentException("'" + whole + "': a scope id (%...) has no place in a range");
                }
                InetAddress parsed = Inet6Address.ofLiteral(bare);
                return parsed.getAddress();
            }
            if (IPV4.matcher(address).matches()) {
                return Inet4Address.ofLiteral(address).getAddress();
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("'")) {
                throw e;
            }
        }
        throw new IllegalArgumentException("'" + whole + "' is not an IPv4 or IPv6 address (a.b.c.d or x:x::x, "
                + "optionally /prefix)");
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF00 >>> keep);
        }
        return masked;
    }

    /** True when {@code address} is of this range's family and inside it. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF00 >>> rest) & 0xFF;
        return (bytes[whole] & mask) == (network[whole] & 0xFF);
    }

    /** True when {@code address} lies in any of {@code ranges}. */
    public static boolean anyContains(CidrRange[] ranges, InetAddress address) {
        for (CidrRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    private static String format(byte[] bytes, int prefix) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrRange range && range.prefixLength == prefixLength
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    /** The range as {@link #parse} reads it: {@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        return format(network, prefixLength);
    }
}
