package io.iocp4j.bench.peer;

import io.iocp4j.Transport;

import java.util.List;

/** The echo servers in the Java process, by the name the runner and the tables use. */
public final class EchoPeers {
    /** Every Java peer, iocp4j first: the tables give ratios to the first. */
    public static final List<String> NAMES = List.of("iocp4j-uring", "iocp4j-nio2", "netty-io_uring", "netty-epoll",
            "netty-nio", "jdk-nio2", "virtual-threads");

    private EchoPeers() {
    }

    static EchoPeer create(String name) {
        return switch (name) {
            case "iocp4j-uring" -> new IocpEcho(Transport.URING);
            case "iocp4j-nio2" -> new IocpEcho(Transport.NIO2);
            case "netty-io_uring" -> new NettyEcho(NettyEcho.Kind.IO_URING);
            case "netty-epoll" -> new NettyEcho(NettyEcho.Kind.EPOLL);
            case "netty-nio" -> new NettyEcho(NettyEcho.Kind.NIO);
            case "jdk-nio2" -> new Nio2Echo();
            case "virtual-threads" -> new VirtualThreadEcho();
            default -> throw new IllegalArgumentException("no echo server named " + name + "; known: " + NAMES);
        };
    }
}
