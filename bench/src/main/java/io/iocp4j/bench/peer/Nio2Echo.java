package io.iocp4j.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plain JDK NIO.2: an {@link AsynchronousServerSocketChannel} on a fixed group of I/O threads, and one read-write
 * loop per connection over its own direct buffer (read, write it all back, read again).
 */
final class Nio2Echo implements EchoPeer {
    private static final int BUFFER = 16 * 1024;

    private AsynchronousChannelGroup group;
    private AsynchronousServerSocketChannel listener;

    @Override
    public int start(int port, int ioThreads) throws IOException {
        group = AsynchronousChannelGroup.withFixedThreadPool(ioThreads, Thread.ofPlatform().name("nio2-io-", 0)
                .factory());
        listener = AsynchronousServerSocketChannel.open(group);
        listener.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        listener.accept(null, new Acceptor());
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    @Override
    public void close() throws Exception {
        if (group != null) {
            group.shutdownNow();
            group.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private final class Acceptor implements CompletionHandler<AsynchronousSocketChannel, Void> {
        @Override
        public void completed(AsynchronousSocketChannel channel, Void nothing) {
            listener.accept(null, this);
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                closeQuietly(channel);
                return;
            }
            new Loop(channel).read();
        }

        @Override
        public void failed(Throwable error, Void nothing) {
            if (listener.isOpen()) {
                listener.accept(null, this);
            }
        }
    }

    /** One connection: its buffer alternates between being filled by a read and drained by writes. */
    private static final class Loop {
        private final AsynchronousSocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
            @Override
            public void completed(Integer count, Void nothing) {
                if (count < 0) {
                    closeQuietly(channel);
                    return;
                }
                buffer.flip();
                channel.write(buffer, null, onWrite);
            }

            @Override
            public void failed(Throwable error, Void nothing) {
                closeQuietly(channel);
            }
        };
        private final CompletionHandler<Integer, Void> onWrite = new CompletionHandler<>() {
            @Override
            public void completed(Integer count, Void nothing) {
                if (buffer.hasRemaining()) {
                    channel.write(buffer, null, this);
                } else {
                    read();
                }
            }

            @Override
            public void failed(Throwable error, Void nothing) {
                closeQuietly(channel);
            }
        };

        Loop(AsynchronousSocketChannel channel) {
            this.channel = channel;
        }

        void read() {
            buffer.clear();
            channel.read(buffer, null, onRead);
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a connection that already failed: nothing more to do with it.
        }
    }
}
