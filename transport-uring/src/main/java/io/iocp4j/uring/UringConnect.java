package io.iocp4j.uring;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.ConnectHandler;

import java.io.IOException;
import java.net.InetSocketAddress;

/** One connect in flight. The peer's address is kept in a pooled buffer until the connect completes. */
final class UringConnect implements Registrations.Owner {
    private final UringPort port;
    private final InetSocketAddress remote;
    private final ConnectHandler handler;
    private final int fd;
    private final IoBuffer sockaddr;
    private final int slot;

    private UringConnect(UringPort port, InetSocketAddress remote, ConnectHandler handler, int fd) {
        this.port = port;
        this.remote = remote;
        this.handler = handler;
        this.fd = fd;
        this.sockaddr = port.pool().lease(SocketAddresses.MAX_BYTES);
        this.slot = port.registrations().register(this);
    }

    /** Port thread. */
    static void start(UringPort port, InetSocketAddress remote, ConnectHandler handler) {
        int fd;
        try {
            if (remote.isUnresolved()) {
                throw new IOException("unresolved address: " + remote);
            }
            fd = Sockets.open(port.errnoState(), remote);
        } catch (IOException e) {
            handler.onConnectFailed(e);
            return;
        }
        UringConnect connect = new UringConnect(port, remote, handler, fd);
        int length = SocketAddresses.encode(remote, connect.sockaddr.segment());
        port.submissions().connect(fd, connect.sockaddr.segment().address(), length,
                port.registrations().userData(connect.slot, PortOps.CONNECT));
    }

    @Override
    public void complete(int op, int result, int flags) {
        sockaddr.release();
        port.registrations().unregister(slot);
        if (result == 0) {
            handler.onConnected(UringSocket.adopt(port, fd, remote));
        } else {
            LibC.close(fd);
            handler.onConnectFailed(Errnos.exception("connect", -result));
        }
    }
}
