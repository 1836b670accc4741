package io.iocp4j.stage;

import io.iocp4j.buffer.IoBuffer;

import java.nio.ByteBuffer;

/**
 * One step in the path of a connection's bytes, below the codec: bytes to bytes, in each direction. The PROXY
 * header (read once, then the stage removes itself) and TLS (unwrap in, wrap out) are stages; so is anything a
 * protocol needs before its packets can be cut: decompression, a handshake, a tap that counts.
 *
 * <p>A stage is made for one connection by its {@link StageFactory} and every call reaches it on that connection's
 * I/O thread, one at a time: it needs no locks. Each method's default passes the bytes on unchanged, so a stage
 * overrides only what it transforms. Inbound, the first stage declared sees the socket's bytes first; outbound,
 * the last stage declared sees the codec's bytes first.
 *
 * <p>What a stage holds (bytes waiting for more, a buffer it made) follows the connection's lifetime rule:
 * {@link #release()} is called exactly once, when the connection is released, or when the stage removes itself, on
 * every path (close, reset, error, shutdown). Memory a stage keeps between calls is reported by
 * {@link #memoryHeld()} and should be charged to {@link StageContext#partialBudget()}.
 */
public interface ByteStage {
    /**
     * The connection is open, before its handler hears {@code onConnect}. A stage that must see bytes first (a
     * PROXY header) calls {@link StageContext#holdConnect()} here; a client's TLS stage sends its first handshake
     * bytes.
     */
    default void onOpen(StageContext context) {
    }

    /**
     * Bytes from the peer (as the stages before this one left them), valid during the call only. Pass on what the
     * next stage should see with {@link StageContext#passInbound}, at once or later; copy what must wait for more.
     */
    default void inbound(StageContext context, ByteBuffer bytes) {
        context.passInbound(bytes);
    }

    /**
     * True when this stage must see the bytes sent to the peer ({@link #outbound}). A stage that only reads (a
     * PROXY header) leaves it false, and sends keep their fastest paths, files included.
     */
    default boolean seesOutbound() {
        return false;
    }

    /**
     * Bytes for the peer, taking over one reference of {@code bytes}: pass it (or what it becomes) on with
     * {@link StageContext#passOutbound}, or release it. Called only when {@link #seesOutbound()} is true.
     */
    default void outbound(StageContext context, IoBuffer bytes) {
        context.passOutbound(bytes);
    }

    /**
     * The connection is closing gracefully: every byte sent so far has passed this stage, and it may pass last
     * bytes of its own (a TLS {@code close_notify}) before the socket closes. Not called on an abrupt close.
     */
    default void onClosing(StageContext context) {
    }

    /** Memory this stage keeps between calls: bytes waiting for more, buffers it made. Racy reads are fine. */
    default long memoryHeld() {
        return 0;
    }

    /** Gives back everything this stage holds. Called exactly once, on the connection's I/O thread. */
    default void release() {
    }
}
