package io.iocp4j.uring;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SharedAddressesTest {
    private final Arena arena = Arena.ofAuto();

    @Test
    void theSameLocalAddressComesBackAsTheSameObjectAndAnotherAsItself() throws UnknownHostException {
        SharedAddresses addresses = new SharedAddresses();
        InetSocketAddress first = addresses.local(sockaddr("127.0.0.1", 9000));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9000), first);
        assertSame(first, addresses.local(sockaddr("127.0.0.1", 9000)));

        InetSocketAddress otherPort = addresses.local(sockaddr("127.0.0.1", 9001));
        assertEquals(9001, otherPort.getPort());
        InetSocketAddress v6 = addresses.local(sockaddr("::1", 9001));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9001), v6);
        assertSame(v6, addresses.local(sockaddr("::1", 9001)));
    }

    @Test
    void remoteAddressesOfOneHostShareItsObjectAndKeepTheirOwnPorts() throws UnknownHostException {
        SharedAddresses addresses = new SharedAddresses();
        InetSocketAddress a = addresses.remote(sockaddr("127.0.0.2", 40000));
        InetSocketAddress b = addresses.remote(sockaddr("127.0.0.2", 40001));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40000), a);
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40001), b);
        assertNotSame(a, b);
        assertSame(a.getAddress(), b.getAddress());

        InetSocketAddress otherHost = addresses.remote(sockaddr("127.0.0.3", 40001));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 40001), otherHost);
        InetSocketAddress v6 = addresses.remote(sockaddr("::1", 40001));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 40001), v6);
    }

    @Test
    void anAddressOfAnotherFamilyIsNone() {
        SharedAddresses addresses = new SharedAddresses();
        MemorySegment unix = arena.allocate(SocketAddresses.MAX_BYTES, 8);
        unix.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 1);
        assertNull(addresses.local(unix));
        assertNull(addresses.remote(unix));
    }

    private MemorySegment sockaddr(String host, int port) throws UnknownHostException {
        MemorySegment segment = arena.allocate(SocketAddresses.MAX_BYTES, 8);
        SocketAddresses.encode(new InetSocketAddress(InetAddress.getByName(host), port), segment);
        return segment;
    }
}
