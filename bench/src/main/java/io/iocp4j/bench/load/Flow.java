package io.iocp4j.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection of the generator: up to {@code depth} messages of {@code size} bytes in flight, sent as one byte
 * stream whose byte at offset o is {@code o % 251}, so an echo that loses, duplicates or reorders bytes is caught
 * (one byte of each read is checked, which keeps the check cheap at gigabytes per second).
 */
final class Flow {
    static final int PATTERN = 251;

    interface Completions {
        /** A whole message came back, {@code nanos} after it was queued for sending. */
        void completed(Flow flow, long nanos);
    }

    private final SocketChannel channel;
    private final int size;
    private final long[] queuedAt;
    private final ByteBuffer pattern;
    private SelectionKey key;
    private long sentBytes;
    private long owedBytes;
    private long receivedBytes;
    private long messagesQueued;
    private long messagesReceived;

    Flow(SocketChannel channel, int size, int depth, ByteBuffer pattern) {
        this.channel = channel;
        this.size = size;
        this.queuedAt = new long[depth];
        this.pattern = pattern.duplicate();
    }

    /** A pattern buffer long enough for any write: its bytes are {@code i % 251}. */
    static ByteBuffer pattern(int longestWrite) {
        int length = (longestWrite / PATTERN + 2) * PATTERN;
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            buffer.put(i, (byte) (i % PATTERN));
        }
        return buffer;
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    SocketChannel channel() {
        return channel;
    }

    long inFlight() {
        return messagesQueued - messagesReceived;
    }

    /** Queues one more message, stamped now, and writes what the socket takes. */
    void queue(long now) throws IOException {
        if (inFlight() >= queuedAt.length) {
            throw new IllegalStateException("more than " + queuedAt.length + " messages in flight");
        }
        queuedAt[(int) (messagesQueued % queuedAt.length)] = now;
        messagesQueued++;
        owedBytes += size;
        write();
    }

    /** Writes owed bytes until done or the socket is full; asks for OP_WRITE in the latter case. */
    void write() throws IOException {
        while (owedBytes > 0) {
            int start = (int) (sentBytes % PATTERN);
            int length = (int) Math.min(owedBytes, pattern.capacity() - PATTERN);
            pattern.limit(start + length).position(start);
            int written = channel.write(pattern);
            sentBytes += written;
            owedBytes -= written;
            if (written < length) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
        if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Reads what is there into {@code scratch}, checks it, and reports each message that came back whole. */
    void read(ByteBuffer scratch, Completions completions) throws IOException {
        scratch.clear();
        int count = channel.read(scratch);
        if (count < 0) {
            throw new IOException("the server closed a connection");
        }
        if (count == 0) {
            return;
        }
        if (receivedBytes + count > sentBytes) {
            throw new IOException("the server sent " + (receivedBytes + count) + " bytes, more than the "
                    + sentBytes + " sent to it");
        }
        byte expected = (byte) (receivedBytes % PATTERN);
        if (scratch.get(0) != expected) {
            throw new IOException("echo differs at byte " + receivedBytes + ": " + scratch.get(0) + " instead of "
                    + expected);
        }
        receivedBytes += count;
        long now = System.nanoTime();
        while (receivedBytes >= (messagesReceived + 1) * size) {
            long queued = queuedAt[(int) (messagesReceived % queuedAt.length)];
            messagesReceived++;
            completions.completed(this, now - queued);
        }
    }
}
