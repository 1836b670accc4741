package io.iocp4j.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One connection of the generator: up to {@code depth} messages of {@code size} bytes in flight, sent as one byte
 * stream whose byte at offset o is {@code o % 251}, so an echo that loses, duplicates or reorders bytes is caught.
 * Plain TCP checks one byte of each read, which keeps the check cheap at gigabytes per second; TLS checks every byte
 * (cheap beside decrypting it).
 */
final class Flow {
    static final int PATTERN = 251;

    interface Completions {
        /** A whole message came back, {@code nanos} after it was queued for sending. */
        void completed(Flow flow, long nanos);
    }

    private final Wire wire;
    private final int size;
    private final long[] queuedAt;
    /** The pattern as written: its position and limit move with each write. */
    private final ByteBuffer pattern;
    /** The pattern as compared with what comes back, never moved. */
    private final ByteBuffer expected;
    private final boolean everyByte;
    private SelectionKey key;
    private long sentBytes;
    private long owedBytes;
    private long receivedBytes;
    private long messagesQueued;
    private long messagesReceived;

    Flow(Wire wire, int size, int depth, ByteBuffer pattern, boolean everyByte) {
        this.wire = wire;
        this.size = size;
        this.queuedAt = new long[depth];
        this.pattern = pattern.duplicate();
        this.expected = pattern.duplicate().clear();
        this.everyByte = everyByte;
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

    Wire wire() {
        return wire;
    }

    long inFlight() {
        return messagesQueued - messagesReceived;
    }

    /** Queues one more message, stamped {@code queuedNanos}, and writes what the socket takes. */
    void queue(long queuedNanos) throws IOException {
        if (inFlight() >= queuedAt.length) {
            throw new IllegalStateException("more than " + queuedAt.length + " messages in flight");
        }
        queuedAt[(int) (messagesQueued % queuedAt.length)] = queuedNanos;
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
            int written = wire.write(pattern);
            sentBytes += written;
            owedBytes -= written;
            if (written < length) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
        if (!wire.flush()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Reads what is there into {@code scratch}, checks it, and reports each message that came back whole; with TLS,
     * again while whole records wait in the wire, which the selector cannot see.
     */
    void read(ByteBuffer scratch, Completions completions) throws IOException {
        do {
            scratch.clear();
            int count = wire.read(scratch);
            if (count < 0) {
                throw new IOException("the server closed a connection");
            }
            if (count == 0) {
                break;
            }
            received(scratch, count, completions);
        } while (wire.hasBufferedInput());
        if (!wire.flush()) {
            // The engine answered something the server sent (a TLS key update) and the socket was full.
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void received(ByteBuffer scratch, int count, Completions completions) throws IOException {
        if (receivedBytes + count > sentBytes) {
            throw new IOException("the server sent " + (receivedBytes + count) + " bytes, more than the "
                    + sentBytes + " sent to it");
        }
        check(scratch, count);
        receivedBytes += count;
        long now = System.nanoTime();
        while (receivedBytes >= (messagesReceived + 1) * size) {
            long queued = queuedAt[(int) (messagesReceived % queuedAt.length)];
            messagesReceived++;
            completions.completed(this, now - queued);
        }
    }

    /** Compares the {@code count} bytes read with the pattern from offset {@code receivedBytes} on. */
    private void check(ByteBuffer scratch, int count) throws IOException {
        if (!everyByte) {
            byte expected = (byte) (receivedBytes % PATTERN);
            if (scratch.get(0) != expected) {
                throw new IOException("echo differs at byte " + receivedBytes + ": " + scratch.get(0)
                        + " instead of " + expected);
            }
            return;
        }
        int chunk = expected.capacity() - PATTERN;
        for (int done = 0; done < count; done += chunk) {
            int length = Math.min(chunk, count - done);
            int start = (int) ((receivedBytes + done) % PATTERN);
            int differs = scratch.slice(done, length).mismatch(expected.slice(start, length));
            if (differs >= 0) {
                long at = receivedBytes + done + differs;
                throw new IOException("echo differs at byte " + at + ": " + scratch.get(done + differs)
                        + " instead of " + (byte) (at % PATTERN));
            }
        }
    }
}
