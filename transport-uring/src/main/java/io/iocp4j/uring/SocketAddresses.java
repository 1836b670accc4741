package io.iocp4j.uring;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6}, to and from {@link InetSocketAddress}:
 * <pre>
 * sockaddr_in  (16): 0 u16 family  2 u16 port (network order)  4 u8[4] addr   8 u8[8] zero
 * sockaddr_in6 (28): 0 u16 family  2 u16 port (network order)  4 u32 flowinfo 8 u8[16] addr  24 u32 scope_id
 * </pre>
 */
final class SocketAddresses {
    static final int IPV4_BYTES = 16;
    static final int IPV6_BYTES = 28;
    /** Room for either. */
    static final int MAX_BYTES = IPV6_BYTES;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SocketAddresses() {
    }

    static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }

    /** Writes {@code address} at the start of {@code target}; returns its length. */
    static int encode(InetSocketAddress address, MemorySegment target) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        target.asSlice(0, MAX_BYTES).fill((byte) 0);
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        target.set(JAVA_SHORT, 0, (short) family(address));
        target.set(JAVA_SHORT, 2, networkOrder((short) address.getPort()));
        if (ip instanceof Inet6Address v6) {
            MemorySegment.copy(bytes, 0, target, JAVA_BYTE, 8, 16);
            target.set(JAVA_INT, 24, v6.getScopeId());
            return IPV6_BYTES;
        }
        MemorySegment.copy(bytes, 0, target, JAVA_BYTE, 4, 4);
        return IPV4_BYTES;
    }

    /** Reads the address at the start of {@code source}; null for a family other than IPv4 and IPv6. */
    static InetSocketAddress decode(MemorySegment source) {
        int family = source.get(JAVA_SHORT, 0);
        int port = port(source);
        try {
            if (family == LibC.AF_INET) {
                byte[] bytes = new byte[4];
                MemorySegment.copy(source, JAVA_BYTE, 4, bytes, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            }
            if (family == LibC.AF_INET6) {
                byte[] bytes = new byte[16];
                MemorySegment.copy(source, JAVA_BYTE, 8, bytes, 0, 16);
                int scope = source.get(JAVA_INT, 24);
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(bytes)
                        : Inet6Address.getByAddress(null, bytes, scope);
                // getByAddress turns an IPv4-mapped address into the IPv4 address it stands for, as the JDK does.
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of the wrong length", e);
        }
        return null;
    }

    /** The port number of the address at the start of {@code source}, either family. */
    static int port(MemorySegment source) {
        return Short.toUnsignedInt(networkOrder(source.get(JAVA_SHORT, 2)));
    }

    private static short networkOrder(short value) {
        return LITTLE_ENDIAN ? Short.reverseBytes(value) : value;
    }
}
