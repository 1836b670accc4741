package io.iocp4j.bench.peer;

import io.iocp4j.bench.tls.BenchTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Netty 4.2's echo, as its own examples write it: write each read buffer back, flush when the read burst ends.
 * Pooled direct buffers, TCP_NODELAY, one event loop group for accepting and serving (its threads are the I/O threads).
 * With TLS, an {@code SslHandler} in front of it from {@link SslContextBuilder#forServer}, on the JDK's SSLEngine
 * or on BoringSSL (netty-tcnative), TLS 1.3 and {@link BenchTls#CIPHER_SUITE} alone.
 */
final class NettyEcho implements EchoPeer {
    enum Kind {
        NIO(NioIoHandler::newFactory, NioServerSocketChannel.class),
        EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class),
        IO_URING(IoUringIoHandler::newFactory, IoUringServerSocketChannel.class);

        private final Supplier<IoHandlerFactory> handlers;
        private final Class<? extends ServerChannel> channel;

        Kind(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> channel) {
            this.handlers = handlers;
            this.channel = channel;
        }
    }

    private static final Echo ECHO = new Echo();

    private final Kind kind;
    /** The TLS engine; null for plain TCP. */
    private final SslProvider tls;
    private final Path tlsDirectory;
    private EventLoopGroup group;
    private Channel listener;

    private NettyEcho(Kind kind, SslProvider tls, Path tlsDirectory) {
        this.kind = kind;
        this.tls = tls;
        this.tlsDirectory = tlsDirectory;
    }

    static NettyEcho plain(Kind kind) {
        return new NettyEcho(kind, null, null);
    }

    static NettyEcho tls(Kind kind, SslProvider provider, Path tlsDirectory) {
        return new NettyEcho(kind, provider, tlsDirectory);
    }

    /** True when netty-tcnative's BoringSSL loads here, so {@link SslProvider#OPENSSL} can serve. */
    static boolean openSslAvailable() {
        return OpenSsl.isAvailable();
    }

    @Override
    public int start(int port, int ioThreads) throws Exception {
        if (kind == Kind.IO_URING) {
            IoUring.ensureAvailability();
        }
        ChannelHandler perConnection = tls == null ? ECHO : withTls(sslContext());
        group = new MultiThreadIoEventLoopGroup(ioThreads, kind.handlers.get());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(kind.channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(perConnection);
        listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private SslContext sslContext() throws Exception {
        if (tls == SslProvider.OPENSSL) {
            OpenSsl.ensureAvailability();
        }
        BenchTls.Certificate certificate = BenchTls.in(tlsDirectory);
        return SslContextBuilder.forServer(certificate.certificatePem().toFile(), certificate.keyPem().toFile())
                .sslProvider(tls)
                .protocols(BenchTls.PROTOCOL)
                .ciphers(List.of(BenchTls.CIPHER_SUITE))
                .build();
    }

    private static ChannelHandler withTls(SslContext ssl) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(ssl.newHandler(channel.alloc()), ECHO);
            }
        };
    }

    @Override
    public void close() throws Exception {
        if (listener != null) {
            listener.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            context.write(message, context.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
