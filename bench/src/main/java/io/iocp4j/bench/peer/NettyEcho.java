package io.iocp4j.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Netty 4.2's echo, as its own examples write it: write each read buffer back, flush when the read burst ends.
 * Pooled direct buffers, TCP_NODELAY, one event loop group for accepting and serving (its threads are the I/O threads).
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

    private final Kind kind;
    private EventLoopGroup group;
    private Channel listener;

    NettyEcho(Kind kind) {
        this.kind = kind;
    }

    @Override
    public int start(int port, int ioThreads) throws Exception {
        if (kind == Kind.IO_URING) {
            IoUring.ensureAvailability();
        }
        group = new MultiThreadIoEventLoopGroup(ioThreads, kind.handlers.get());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(kind.channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new Echo());
        listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
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
