package io.iocp4j;

import io.iocp4j.buffer.IoBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One TCP connection. Safe to use from any thread: sends and closes made on another thread are handed to the I/O
 * thread that owns the connection.
 */
public interface Connection {
    /** Unique among the connections of one server or client, never reused. */
    long id();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /**
     * Queues the remaining bytes of {@code packet} as one packet (framed if the connection is), copying them; the
     * packet's position is unchanged. Sends from one thread go out in the order they were made.
     *
     * <p>One case is not copied: without framing, a handler that sends back (part of) the very packet it was given,
     * 1 KiB or more, from {@link Handler#onPacket} on the I/O thread, sends it from the receive buffer, which is
     * held until the bytes are written. Its bytes must then not be changed after the send.
     *
     * @return false when the connection is no longer open: nothing was queued
     * @throws IllegalArgumentException when the packet is empty or over the maximum frame length
     */
    boolean send(ByteBuffer packet);

    /** Queues the remaining bytes of all {@code parts}, in order, as one packet. */
    boolean send(ByteBuffer... parts);

    /**
     * Queues bytes that are already encoded (a frame with its header, or raw bytes), taking over one reference of
     * {@code encoded}: it is released once written, or at once when this returns false.
     */
    boolean sendEncoded(IoBuffer encoded);

    /** Closes now: queued sends are dropped. Idempotent, from any thread. */
    void close();

    /** Stops reading and accepting sends, then closes once every queued byte is written. Idempotent. */
    void closeAfterFlush();

    /** True until a close begins. */
    boolean isOpen();

    /** Why the connection ended, or null while it is open. */
    CloseReason closeReason();

    /**
     * False while more reply bytes are queued than the high watermark, until the queue drains under the low
     * watermark ({@link Handler#onWritable} then says so). A server's connection that is not writable reads no more
     * packets meanwhile (by default; a client's goes on reading); one whose queue passes the cap is closed
     * ({@link CloseReason#SLOW_CONSUMER}). A handler that sends much, such as a file, sends while this is true and
     * goes on from {@code onWritable}.
     */
    boolean isWritable();

    /** Bytes that are queued or being written, including replies held back for earlier packets' replies. */
    long queuedBytes();

    /** Attaches user state to the connection; {@link #attr(AttributeKey)} keeps several, typed. */
    void attach(Object attachment);

    /** The attached user state, or null. */
    Object attachment();

    /** This connection's typed attributes, made at the first write. Any thread. */
    Attributes attributes();

    /** The value of the attribute {@code key}, or null. Any thread. */
    default <T> T attr(AttributeKey<T> key) {
        return attributes().get(key);
    }

    /** Sets the attribute {@code key} (null removes it); returns the value it had. Any thread. */
    default <T> T setAttr(AttributeKey<T> key, T value) {
        return attributes().set(key, value);
    }
}
