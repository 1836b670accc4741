package io.iocp4j.nio2;

import io.iocp4j.buffer.BufferAllocationException;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.TimeUnit;

/**
 * A connected NIO.2 channel. NIO.2 allows one read and one write in flight, which is what the SPI asks. A read
 * needs a buffer before bytes arrive, so an idle connection here holds one; its size adapts to what the peer sends.
 *
 * <p>A channel stays for life in the group that opened it: its completions always arrive on that port's thread,
 * its home. A socket handed to another port (its owner) keeps its channel; each completion then hops from the home
 * thread to the owner's, which alone handles it. Without a move, home and owner are the same and nothing hops.
 */
final class Nio2Socket implements TransportSocket {
    private static final int MIN_READ = 512;
    private static final int INITIAL_READ = 2048;
    private static final int MAX_READ = 64 << 10;
    /** Reads that used under a quarter of the buffer, in a row, before it shrinks. */
    private static final int SHRINK_AFTER = 4;

    /** A channel between two ports, with what its socket had learned about its peer. */
    private record Handoff(AsynchronousSocketChannel channel, Nio2Port home, InetSocketAddress localAddress,
                           InetSocketAddress remoteAddress, int readSize) implements SocketHandoff {
        @Override
        public void closeUnadopted() {
            closeQuietly(channel);
        }
    }

    /** The port whose thread handles this socket's completions and makes its calls. */
    private final Nio2Port port;
    /** The port whose group the channel belongs to: where its completions arrive. */
    private final Nio2Port home;
    private final AsynchronousSocketChannel channel;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;

    // Port thread only; one read and one write in flight at most.
    private long readUserData;
    private IoBuffer readBuffer;
    private int readSize;
    private int smallReads;
    private long writeUserData;
    private boolean writing;
    private boolean handedOff;

    private final CompletionHandler<Integer, Void> readHandler = new CompletionHandler<>() {
        @Override
        public void completed(Integer result, Void attachment) {
            // -1 is the end of stream, which the SPI reports as 0.
            int bytes = Math.max(result, 0);
            if (home == port) {
                readCompleted(bytes);
            } else {
                port.execute(() -> readCompleted(bytes));
            }
        }

        @Override
        public void failed(Throwable failure, Void attachment) {
            int error = Nio2Errors.result(failure);
            if (home == port) {
                readCompleted(error);
            } else {
                port.execute(() -> readCompleted(error));
            }
        }
    };

    private final CompletionHandler<Integer, Void> singleWriteHandler = new CompletionHandler<>() {
        @Override
        public void completed(Integer result, Void attachment) {
            writeEnded(result);
        }

        @Override
        public void failed(Throwable failure, Void attachment) {
            writeEnded(Nio2Errors.result(failure));
        }
    };

    private final CompletionHandler<Long, Void> writeHandler = new CompletionHandler<>() {
        @Override
        public void completed(Long result, Void attachment) {
            writeEnded((int) (long) result);
        }

        @Override
        public void failed(Throwable failure, Void attachment) {
            writeEnded(Nio2Errors.result(failure));
        }
    };

    Nio2Socket(Nio2Port port, AsynchronousSocketChannel channel) {
        this(port, port, channel, address(channel, false), address(channel, true), INITIAL_READ);
    }

    private Nio2Socket(Nio2Port port, Nio2Port home, AsynchronousSocketChannel channel,
                       InetSocketAddress localAddress, InetSocketAddress remoteAddress, int readSize) {
        this.port = port;
        this.home = home;
        this.channel = channel;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.readSize = readSize;
    }

    /** Port thread of {@code port}: a socket another port of the same transport handed off. */
    static Nio2Socket adopt(Nio2Port port, SocketHandoff handoff) {
        if (!(handoff instanceof Handoff moved)) {
            throw new IllegalArgumentException("not a NIO.2 socket: " + handoff);
        }
        return new Nio2Socket(port, moved.home(), moved.channel(), moved.localAddress(), moved.remoteAddress(),
                moved.readSize());
    }

    @Override
    public SocketHandoff handOff() {
        if (readBuffer != null || writing || handedOff) {
            throw new IllegalStateException("cannot hand off " + this + ": reading " + (readBuffer != null)
                    + ", writing " + writing + ", handed off " + handedOff);
        }
        handedOff = true;
        return new Handoff(channel, home, localAddress, remoteAddress, readSize);
    }
    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void receive(long userData) {
        readUserData = userData;
        try {
            readBuffer = port.pool().lease(readSize);
        } catch (BufferAllocationException noMemory) {
            // Memory ran out: this connection's receive fails like any other, through the completion path.
            port.readStarted();
            port.execute(() -> readCompleted(-Errno.ENOMEM));
            return;
        }
        port.readStarted();
        try {
            channel.read(readBuffer.byteBuffer(), null, readHandler);
        } catch (RuntimeException notStarted) {
            // Delivered as a completion, like any other outcome: the one path that releases.
            port.execute(() -> readCompleted(Nio2Errors.result(notStarted)));
        }
    }

    private void readCompleted(int result) {
        if (result >= 0) {
            adaptReadSize(result);
        }
        IoBuffer buffer = readBuffer;
        readBuffer = null;
        port.readEnded();
        port.enter();
        try {
            port.sink().complete(readUserData, result, 0, buffer);
        } finally {
            port.leave();
        }
    }

    private void adaptReadSize(int bytes) {
        if (bytes >= readSize && readSize < MAX_READ) {
            readSize <<= 1;
            smallReads = 0;
        } else if (bytes < readSize >> 2 && readSize > MIN_READ) {
            if (++smallReads >= SHRINK_AFTER) {
                readSize >>= 1;
                smallReads = 0;
            }
        } else {
            smallReads = 0;
        }
    }

    @Override
    public void write(ByteBuffer[] sources, int offset, int length, long userData) {
        writeUserData = userData;
        writing = true;
        try {
            if (length == 1) {
                // The single-buffer path skips NIO.2's gathering bookkeeping: the common case of one reply.
                channel.write(sources[offset], null, singleWriteHandler);
            } else {
                channel.write(sources, offset, length, 0, TimeUnit.MILLISECONDS, null, writeHandler);
            }
        } catch (RuntimeException notStarted) {
            port.execute(() -> writeCompleted(Nio2Errors.result(notStarted)));
        }
    }

    /** On the home thread: the owner handles it, here or after a hop. */
    private void writeEnded(int result) {
        if (home == port) {
            writeCompleted(result);
        } else {
            port.execute(() -> writeCompleted(result));
        }
    }

    private void writeCompleted(int result) {
        writing = false;
        port.enter();
        try {
            port.sink().complete(writeUserData, result, 0, null);
        } finally {
            port.leave();
        }
    }

    /** A NIO.2 read cannot be cancelled without closing the channel; it ends by itself with its first result. */
    @Override
    public void cancelReceive() {
    }

    @Override
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // Already closed or reset: the next operation reports it.
        }
    }

    @Override
    public void close(long userData) {
        closeQuietly(channel);
        // NIO.2 closes at once; the close still completes through the port, after what is being handled now.
        port.execute(() -> port.sink().complete(userData, 0, 0, null));
    }

    static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to release: the descriptor is gone either way.
        }
    }

    private static InetSocketAddress address(AsynchronousSocketChannel channel, boolean remote) {
        try {
            return (InetSocketAddress) (remote ? channel.getRemoteAddress() : channel.getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Nio2Socket[" + localAddress + " -> " + remoteAddress + "]";
    }
}
