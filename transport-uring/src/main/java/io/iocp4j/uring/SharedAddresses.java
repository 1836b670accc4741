package io.iocp4j.uring;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Decodes the addresses of a port's sockets, handing out again the objects it made for the last socket when the
 * bytes are the same: the sockets a listener accepts nearly all share their local address, and the clients of a
 * server are few hosts. An idle connection then keeps only its own remote {@link InetSocketAddress} (its port
 * differs), not a copy of each address. The objects are immutable, so sharing them changes nothing a caller can see.
 *
 * <p>Port thread only.
 */
final class SharedAddresses {
    /** Where the port number sits in both {@code sockaddr_in} and {@code sockaddr_in6}. */
    private static final int PORT_OFFSET = 2;
    private static final int PORT_BYTES = 2;

    private final MemorySegment lastLocalBytes = MemorySegment.ofArray(new byte[SocketAddresses.MAX_BYTES]);
    private int lastLocalLength;
    private InetSocketAddress lastLocal;
    private final MemorySegment lastRemoteBytes = MemorySegment.ofArray(new byte[SocketAddresses.MAX_BYTES]);
    private int lastRemoteLength;
    private InetAddress lastRemoteHost;

    /** The local address in {@code sockaddr}: the last one made when its bytes are the same. */
    InetSocketAddress local(MemorySegment sockaddr) {
        int length = length(sockaddr);
        if (lastLocal != null && length == lastLocalLength && same(sockaddr, lastLocalBytes, 0, length)) {
            return lastLocal;
        }
        InetSocketAddress decoded = SocketAddresses.decode(sockaddr);
        if (decoded != null) {
            MemorySegment.copy(sockaddr, 0, lastLocalBytes, 0, length);
            lastLocalLength = length;
            lastLocal = decoded;
        }
        return decoded;
    }

    /** The remote address in {@code sockaddr}, on the last host object made when all but the port are the same. */
    InetSocketAddress remote(MemorySegment sockaddr) {
        int length = length(sockaddr);
        if (lastRemoteHost != null && length == lastRemoteLength
                && same(sockaddr, lastRemoteBytes, 0, PORT_OFFSET)
                && same(sockaddr, lastRemoteBytes, PORT_OFFSET + PORT_BYTES, length)) {
            return new InetSocketAddress(lastRemoteHost, SocketAddresses.port(sockaddr));
        }
        InetSocketAddress decoded = SocketAddresses.decode(sockaddr);
        if (decoded != null) {
            MemorySegment.copy(sockaddr, 0, lastRemoteBytes, 0, length);
            lastRemoteLength = length;
            lastRemoteHost = decoded.getAddress();
        }
        return decoded;
    }

    /** The bytes of the address in {@code sockaddr} by its family; 0 for a family neither IPv4 nor IPv6. */
    private static int length(MemorySegment sockaddr) {
        return switch (sockaddr.get(JAVA_SHORT, 0)) {
            case LibC.AF_INET -> SocketAddresses.IPV4_BYTES;
            case LibC.AF_INET6 -> SocketAddresses.IPV6_BYTES;
            default -> 0;
        };
    }

    private static boolean same(MemorySegment a, MemorySegment b, int from, int to) {
        return MemorySegment.mismatch(a, from, to, b, from, to) == -1;
    }
}
