package io.iocp4j.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A process of peers for tests that need more connections than one process may hold files for: it opens
 * {@code count} connections to {@code host:port}, sends one frame on each ({@code 'L'} on every
 * {@code largeEvery}-th, asking for large replies, else {@code 'h'}), prints {@code CONNECTED count}, then reads
 * every connection until it ends and prints {@code ENDED ended bytes}. Every wait is bounded: after
 * {@code seconds} it prints what it has and exits with 1.
 *
 * <pre>java -cp ... io.iocp4j.testkit.HoldingPeers host port count largeEvery seconds</pre>
 */
public final class HoldingPeers {
    private HoldingPeers() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int largeEvery = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(server);
                channel.write(ByteBuffer.wrap(new byte[]{0, 0, 0, 1, (byte) (i % largeEvery == 0 ? 'L' : 'h')}));
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            System.out.println("CONNECTED " + count);
            System.out.flush();
            ByteBuffer sink = ByteBuffer.allocateDirect(256 << 10);
            int ended = 0;
            long bytes = 0;
            while (ended < count && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    int read;
                    try {
                        read = channel.read(sink.clear());
                    } catch (IOException reset) {
                        read = -1;
                    }
                    if (read < 0) {
                        ended++;
                        key.cancel();
                        channel.close();
                    } else {
                        bytes += read;
                    }
                }
                selector.selectedKeys().clear();
            }
            System.out.println("ENDED " + ended + " " + bytes);
            System.out.flush();
            System.exit(ended == count ? 0 : 1);
        }
    }
}
