package io.iocp4j.uring;

/**
 * Sizes of a port's ring and receive buffers. Read from system properties when a port opens, so a deployment
 * (or a test) can change them without code:
 * {@code iocp4j.uring.entries}, {@code iocp4j.uring.receiveBuffers}, {@code iocp4j.uring.receiveBufferSize},
 * {@code iocp4j.uring.splice}, {@code iocp4j.uring.bulkBuffers}, {@code iocp4j.uring.bulkBufferSize}.
 *
 * @param ringEntries       submission queue entries (a power of two)
 * @param completionEntries completion queue entries: several times the submissions, as multishot operations
 *                          post many completions for one submission
 * @param receiveBuffers    buffers in the provided-buffer ring (a power of two, at most 32768)
 * @param receiveBufferSize bytes per receive buffer
 * @param bulkBuffers       buffers in a second provided-buffer ring for connections receiving a bulk stream (a
 *                          file): a power of two, or 0 for none
 * @param bulkBufferSize    bytes per bulk buffer
 * @param splice            files go to sockets through a pipe with splices, never entering user space; when
 *                          false, they stream through pooled buffers like any other write
 */
record UringSettings(int ringEntries, int completionEntries, int receiveBuffers, int receiveBufferSize,
                     int bulkBuffers, int bulkBufferSize, boolean splice) {
    UringSettings {
        requirePowerOfTwo("ringEntries", ringEntries, 1 << 15);
        requirePowerOfTwo("completionEntries", completionEntries, 1 << 20);
        requirePowerOfTwo("receiveBuffers", receiveBuffers, 1 << 15);
        if (receiveBufferSize < 64 || receiveBufferSize > (1 << 24)) {
            throw new IllegalArgumentException("receiveBufferSize=" + receiveBufferSize);
        }
        if (bulkBuffers != 0) {
            requirePowerOfTwo("bulkBuffers", bulkBuffers, 1 << 15);
        }
        if (bulkBufferSize < 64 || bulkBufferSize > (1 << 24)) {
            throw new IllegalArgumentException("bulkBufferSize=" + bulkBufferSize);
        }
    }

    static UringSettings fromSystemProperties() {
        int entries = Integer.getInteger("iocp4j.uring.entries", 2048);
        return new UringSettings(entries, entries * 8,
                Integer.getInteger("iocp4j.uring.receiveBuffers", 256),
                Integer.getInteger("iocp4j.uring.receiveBufferSize", 64 << 10),
                Integer.getInteger("iocp4j.uring.bulkBuffers", 128),
                Integer.getInteger("iocp4j.uring.bulkBufferSize", 64 << 10),
                !"false".equals(System.getProperty("iocp4j.uring.splice")));
    }

    private static void requirePowerOfTwo(String name, int value, int max) {
        if (value < 1 || Integer.bitCount(value) != 1 || value > max) {
            throw new IllegalArgumentException(name + "=" + value + " (a power of two up to " + max + ")");
        }
    }
}
