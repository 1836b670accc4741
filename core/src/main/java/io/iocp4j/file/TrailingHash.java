package io.iocp4j.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * Hashes a file on a thread of its own while another thread writes it: the writer says how far the file is written,
 * this thread reads those bytes back (from the page cache, where they were just put) and hashes them. The receiving
 * thread then pays for the write alone, and SHA-256, which costs about as much as the receive and the write together,
 * runs on another core.
 *
 * <p>Reading back costs one copy more than hashing the receive buffer, but holds no receive buffer: a hash that falls
 * behind leaves bytes in the file, not in the receive ring, so other connections keep receiving. That copy is paid
 * back only by a core that would otherwise wait, so each hash holds one of a bounded number of permits (cores to
 * spare) while it runs.
 */
final class TrailingHash implements Runnable {
    /** Read back in pieces that stay in the core's cache between the read and the hash. */
    private static final int CHUNK = 256 << 10;
    /** A waiting hasher is woken once this much more is written (or the file is complete): one wake-up per MiB. */
    static final long WAKE_AFTER = 1 << 20;

    private final FileChannel channel;
    private final MessageDigest digest;
    private final long end;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final Thread thread;
    private final Semaphore spareCores;
    /** Bytes of the file written so far, from its start: the writer's. */
    private volatile long written;
    /** Bytes of the file hashed so far, from its start: this thread's. */
    private volatile long hashed;
    private volatile boolean waiting;
    private volatile boolean stopped;

    /**
     * Starts hashing from {@code from} (the digest holds the bytes before it) up to {@code end}, on a permit already
     * taken from {@code spareCores}, given back when the hash ends.
     */
    TrailingHash(FileChannel channel, MessageDigest digest, long from, long end, Semaphore spareCores) {
        this.spareCores = spareCores;
        this.channel = channel;
        this.digest = digest;
        this.end = end;
        this.written = from;
        this.hashed = from;
        this.thread = Thread.ofPlatform().daemon().name("iocp4j-file-hash").unstarted(this);
        thread.start();
    }

    /** The writer's: the file is written up to {@code position} (from its start). */
    void writtenUpTo(long position) {
        written = position;
        if (waiting && (position - hashed >= WAKE_AFTER || position == end)) {
            LockSupport.unpark(thread);
        }
    }

    /** The digest of the whole file once every byte is hashed; an error if reading back failed or it was stopped. */
    CompletableFuture<byte[]> result() {
        return result;
    }

    /** Stops hashing (the transfer broke or the disk failed); the result then ends in a cancellation. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(end - hashed, 1)));
        long position = hashed;
        try {
            while (position < end) {
                if (stopped) {
                    throw new CancellationException("stopped");
                }
                long available = written - position;
                if (available < WAKE_AFTER && position + available < end) {
                    awaitWrites(position);
                    continue;
                }
                chunk.clear().limit((int) Math.min(chunk.capacity(), available));
                int read = channel.read(chunk, position);
                if (read < 0) {
                    throw new IOException("the file ended at " + position + " of " + end + " bytes");
                }
                digest.update(chunk.flip());
                position += read;
                hashed = position;
            }
            result.complete(digest.digest());
        } catch (IOException | RuntimeException | Error e) {
            // Whatever ends this thread, the connection waiting for the digest hears of it.
            result.completeExceptionally(stopped ? new CancellationException("stopped") : e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            spareCores.release();
        }
    }

    private void awaitWrites(long position) {
        waiting = true;
        // The writer publishes before it looks at waiting, this thread the other way round: one of the two sees
        // the other, so a write that makes the condition true is never missed.
        while (!stopped) {
            long available = written - position;
            if (available >= WAKE_AFTER || position + available == end) {
                break;
            }
            LockSupport.park(this);
        }
        waiting = false;
    }
}
