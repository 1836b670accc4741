package io.iocp4j.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Socket system calls outside the ring: creating, binding and naming sockets. */
final class Sockets {
    private Sockets() {
    }

    /** A non-blocking TCP socket for {@code address}'s family. */
    static int open(MemorySegment errno, InetSocketAddress address) throws IOException {
        int fd = LibC.socket(errno, SocketAddresses.family(address),
                LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errnos.exception("socket", LibC.errno(errno));
        }
        return fd;
    }

    /** A listening socket on {@code address}; any thread. */
    static int listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = LibC.newErrnoState(arena);
            int fd = open(errno, address);
            try {
                MemorySegment on = arena.allocateFrom(JAVA_INT, 1);
                setOption(errno, fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, on);
                if (reusePort) {
                    setOption(errno, fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, on);
                }
                MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_BYTES, 8);
                int length = SocketAddresses.encode(address, sockaddr);
                if (LibC.bind(errno, fd, sockaddr, length) < 0) {
                    throw Errnos.exception("bind", LibC.errno(errno));
                }
                if (LibC.listen(errno, fd, backlog) < 0) {
                    throw Errnos.exception("listen", LibC.errno(errno));
                }
                return fd;
            } catch (IOException | RuntimeException e) {
                LibC.close(fd);
                throw e;
            }
        }
    }

    private static void setOption(MemorySegment errno, int fd, int level, int name, MemorySegment value)
            throws IOException {
        if (LibC.setsockopt(errno, fd, level, name, value, 4) < 0) {
            throw Errnos.exception("setsockopt", LibC.errno(errno));
        }
    }

    /** Port thread. A socket already reset may refuse; its first operation reports that. */
    static void setNoDelay(UringPort port, int fd) {
        MemorySegment value = port.scratchLength();
        value.set(JAVA_INT, 0, 1);
        LibC.setsockopt(port.errnoState(), fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, value, 4);
    }

    /** Any thread: the address {@code fd} is bound to. */
    static InetSocketAddress boundAddress(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SocketAddresses.MAX_BYTES, 8);
            MemorySegment length = arena.allocateFrom(JAVA_INT, SocketAddresses.MAX_BYTES);
            return LibC.getsockname(fd, address, length) < 0 ? null : SocketAddresses.decode(address);
        }
    }

    /** Port thread; null when the socket is already gone. Equal addresses may come back as the same object. */
    static InetSocketAddress localAddress(UringPort port, int fd) {
        MemorySegment address = port.scratchAddress();
        MemorySegment length = port.scratchLength();
        length.set(JAVA_INT, 0, SocketAddresses.MAX_BYTES);
        return LibC.getsockname(fd, address, length) < 0 ? null : port.addresses().local(address);
    }

    /** Port thread; null when the peer is already gone. Equal hosts may come back as the same object. */
    static InetSocketAddress remoteAddress(UringPort port, int fd) {
        MemorySegment address = port.scratchAddress();
        MemorySegment length = port.scratchLength();
        length.set(JAVA_INT, 0, SocketAddresses.MAX_BYTES);
        return LibC.getpeername(fd, address, length) < 0 ? null : port.addresses().remote(address);
    }
}
