package io.iocp4j.bench.peer;

import io.iocp4j.Transport;
import io.netty.handler.ssl.SslProvider;

import java.nio.file.Path;
import java.util.List;

/** The echo servers in the Java process, by the name the runner and the tables use. */
public final class EchoPeers {
    /** Every plain Java peer, iocp4j first: the tables give ratios to the first. */
    public static final List<String> NAMES = List.of("iocp4j-uring", "iocp4j-nio2", "netty-io_uring", "netty-epoll",
            "netty-nio", "jdk-nio2", "virtual-threads");
    /**
     * Every TLS peer (TLS 1.3, one cipher suite, one certificate; see {@link io.iocp4j.bench.tls.BenchTls}), iocp4j
     * first. They serve the TLS workloads alone, and the plain peers the plain ones.
     */
    public static final List<String> TLS_NAMES = List.of("iocp4j-uring-tls", "netty-io_uring-tls",
            "netty-io_uring-tls-openssl", "iocp4j-nio2-tls");
    static final String OPENSSL = "netty-io_uring-tls-openssl";

    private EchoPeers() {
    }

    public static boolean isTls(String name) {
        return TLS_NAMES.contains(name);
    }

    /** The TLS peers that can serve here: the OpenSSL one only where netty-tcnative's BoringSSL loads. */
    public static List<String> availableTls() {
        return TLS_NAMES.stream().filter(name -> !name.equals(OPENSSL) || NettyEcho.openSslAvailable()).toList();
    }

    /** The peer of that name; TLS peers read (or first make) the bench certificate in {@code tlsDirectory}. */
    static EchoPeer create(String name, Path tlsDirectory) {
        return switch (name) {
            case "iocp4j-uring" -> IocpEcho.plain(Transport.URING);
            case "iocp4j-nio2" -> IocpEcho.plain(Transport.NIO2);
            case "netty-io_uring" -> NettyEcho.plain(NettyEcho.Kind.IO_URING);
            case "netty-epoll" -> NettyEcho.plain(NettyEcho.Kind.EPOLL);
            case "netty-nio" -> NettyEcho.plain(NettyEcho.Kind.NIO);
            case "jdk-nio2" -> new Nio2Echo();
            case "virtual-threads" -> new VirtualThreadEcho();
            case "iocp4j-uring-tls" -> IocpEcho.tls(Transport.URING, tlsDirectory);
            case "iocp4j-nio2-tls" -> IocpEcho.tls(Transport.NIO2, tlsDirectory);
            case "netty-io_uring-tls" -> NettyEcho.tls(NettyEcho.Kind.IO_URING, SslProvider.JDK, tlsDirectory);
            case OPENSSL -> NettyEcho.tls(NettyEcho.Kind.IO_URING, SslProvider.OPENSSL, tlsDirectory);
            default -> throw new IllegalArgumentException("no echo server named " + name + "; known: " + NAMES
                    + " and, with TLS, " + TLS_NAMES);
        };
    }
}
