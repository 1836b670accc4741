package io.iocp4j.bench.load;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * TLS over a non-blocking socket, on the JDK's {@link SSLEngine} in client mode: a handshake the selector drives, then
 * bytes wrapped into records on the way out and unwrapped on the way in. Ciphertext goes to the socket up to
 * {@link #RECORDS} records per write and comes from it as much as that holds per read. Called by the generator's
 * one thread alone; its two buffers come from, and go back to, that thread's {@link Buffers}.
 */
final class TlsWire implements Wire {
    /** Records of ciphertext per socket write or read at most. */
    static final int RECORDS = 4;
    /** A TLS record header: type, version, then the length of what follows in two bytes. */
    private static final int HEADER = 5;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Buffers buffers;
    private final int packetSize;
    private final int plainSize;
    /** Ciphertext the socket has not taken yet, from 0 to the position. */
    private ByteBuffer outbound;
    /** Ciphertext read but not yet unwrapped, from 0 to the position. */
    private ByteBuffer inbound;

    TlsWire(SocketChannel channel, SSLEngine engine, Buffers buffers) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.buffers = buffers;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.plainSize = engine.getSession().getApplicationBufferSize();
        if (buffers.size < RECORDS * packetSize) {
            throw new IllegalArgumentException("buffers of " + buffers.size + " bytes hold fewer than " + RECORDS
                    + " records of " + packetSize);
        }
        this.outbound = buffers.take();
        this.inbound = buffers.take();
        engine.beginHandshake();
    }

    /**
     * Advances the handshake as far as the socket lets it, unwrapping into {@code scratch} (no application data may
     * come before the first message goes out); true once it is done and all of it sent.
     */
    boolean handshake(ByteBuffer scratch) throws IOException {
        while (flush()) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    scratch.clear();
                    SSLEngineResult result = unwrap(scratch);
                    if (result.bytesProduced() > 0) {
                        throw new IOException("the server sent application data before the client sent any");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed TLS during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !fill()) {
                        return false;
                    }
                }
                case NEED_TASK -> runTasks();
                case NOT_HANDSHAKING, FINISHED -> {
                    return true;
                }
            }
        }
        return false;
    }

    SSLSession session() {
        return engine.getSession();
    }

    /** True when ciphertext waits for the socket to take it. */
    boolean hasPendingOutput() {
        return outbound.position() > 0;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int taken = 0;
        do {
            while (source.hasRemaining() && outbound.remaining() >= packetSize) {
                taken += wrap(source).bytesConsumed();
            }
        } while (flush() && source.hasRemaining());
        return taken;
    }

    @Override
    public boolean flush() throws IOException {
        if (outbound.position() == 0) {
            return true;
        }
        outbound.flip();
        try {
            channel.write(outbound);
        } finally {
            outbound.compact();
        }
        return outbound.position() == 0;
    }

    /** Unwraps records into {@code target} while it has room for one, reading the socket once when short of one. */
    @Override
    public int read(ByteBuffer target) throws IOException {
        int produced = 0;
        boolean readSocket = false;
        while (true) {
            if (hasBufferedInput()) {
                if (target.remaining() < plainSize) {
                    if (produced == 0) {
                        throw new IllegalArgumentException("target has room for " + target.remaining()
                                + " bytes, less than a record's " + plainSize);
                    }
                    return produced;
                }
                SSLEngineResult result = unwrap(target);
                produced += result.bytesProduced();
                switch (result.getStatus()) {
                    case OK -> afterPostHandshakeMessage(result);
                    case CLOSED -> {
                        return produced > 0 ? produced : -1;
                    }
                    default -> throw new SSLException("unwrap of a whole record: " + result.getStatus());
                }
                continue;
            }
            if (readSocket) {
                return produced;
            }
            readSocket = true;
            int count = channel.read(inbound);
            if (count < 0) {
                return produced > 0 ? produced : -1;
            }
            if (count == 0) {
                return produced;
            }
        }
    }

    /** True when at least one whole record is buffered: unwrapping it needs no more from the socket. */
    @Override
    public boolean hasBufferedInput() {
        int buffered = inbound.position();
        return buffered >= HEADER && buffered >= HEADER + (inbound.getShort(3) & 0xFFFF);
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    /** Sends close_notify if the socket takes it now, closes the socket, and gives the buffers back. */
    @Override
    public void close() throws IOException {
        try {
            engine.closeOutbound();
            if (outbound.remaining() >= packetSize) {
                engine.wrap(NOTHING, outbound);
                flush();
            }
        } catch (IOException alreadyBroken) {
            // The connection ends either way.
        } finally {
            channel.close();
            buffers.give(outbound);
            buffers.give(inbound);
            outbound = null;
            inbound = null;
        }
    }

    /** A TLS 1.3 server may send a ticket or a key update after the handshake; the engine may want to answer. */
    private void afterPostHandshakeMessage(SSLEngineResult result) throws IOException {
        switch (result.getHandshakeStatus()) {
            case NEED_TASK -> runTasks();
            case NEED_WRAP -> {
                if (outbound.remaining() >= packetSize) {
                    wrap(NOTHING);
                }
                flush();
            }
            default -> {
            }
        }
    }

    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        SSLEngineResult result = engine.wrap(source, outbound);
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("wrap: " + result.getStatus());
        }
        return result;
    }

    private SSLEngineResult unwrap(ByteBuffer target) throws SSLException {
        inbound.flip();
        try {
            return engine.unwrap(inbound, target);
        } finally {
            inbound.compact();
        }
    }

    /** Reads from the socket; false when nothing came. */
    private boolean fill() throws IOException {
        int count = channel.read(inbound);
        if (count < 0) {
            throw new EOFException("the server closed the connection during the TLS handshake");
        }
        return count > 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Direct buffers of one size for one thread's wires, taken and given back: a handshake a connection allocates none. */
    static final class Buffers {
        private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
        private final int size;

        Buffers(int size) {
            this.size = size;
        }

        /** Large enough for the wires of engines whose records are at most {@code packetSize} bytes. */
        static Buffers forPackets(int packetSize) {
            return new Buffers(RECORDS * packetSize);
        }

        ByteBuffer take() {
            ByteBuffer buffer = free.poll();
            return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(size);
        }

        void give(ByteBuffer buffer) {
            free.push(buffer);
        }
    }
}
