package io.iocp4j.tls;

import java.nio.ByteBuffer;

/**
 * Heap buffers for the JDK's TLS engine, whose ciphers run on arrays: records are unwrapped and wrapped here, then
 * copied to and from the connection's pooled direct buffers. One set per I/O thread, grown to the largest size asked
 * for; a stage uses them within one call only, and calls on one thread never overlap in the same buffer.
 */
final class HeapScratch {
    private static final ThreadLocal<HeapScratch> PER_THREAD = ThreadLocal.withInitial(HeapScratch::new);

    private ByteBuffer netIn = ByteBuffer.allocate(0);
    private ByteBuffer appOut = ByteBuffer.allocate(0);
    private ByteBuffer plainIn = ByteBuffer.allocate(0);
    private ByteBuffer netOut = ByteBuffer.allocate(0);

    static HeapScratch get() {
        return PER_THREAD.get();
    }

    /** Records received, on their way to the engine. */
    ByteBuffer netIn(int capacity) {
        return netIn = sized(netIn, capacity);
    }

    /** Plaintext the engine unwrapped. */
    ByteBuffer appOut(int capacity) {
        return appOut = sized(appOut, capacity);
    }

    /** Plaintext to wrap. */
    ByteBuffer plainIn(int capacity) {
        return plainIn = sized(plainIn, capacity);
    }

    /** Records the engine wrapped. */
    ByteBuffer netOut(int capacity) {
        return netOut = sized(netOut, capacity);
    }

    private static ByteBuffer sized(ByteBuffer buffer, int capacity) {
        return buffer.capacity() >= capacity ? buffer.clear() : ByteBuffer.allocate(capacity);
    }
}
