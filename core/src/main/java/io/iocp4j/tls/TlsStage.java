package io.iocp4j.tls;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageContext;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One connection's TLS: records in, plaintext out to the codec; plaintext from the codec, records out. Records are
 * unwrapped straight from the bytes received, and only a record cut by the end of a read is gathered (in an
 * {@link Accumulator} charged to the partial-frame budget); plaintext is written into pooled buffers holding
 * several records each. The handshake's delegated tasks run off the I/O thread; the handler hears
 * {@code onConnect} when the handshake is done.
 *
 * <p>On the connection's I/O thread only, as every stage.
 */
final class TlsStage implements ByteStage {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** Records written into one send buffer at most: fewer writes for large sends, bounded buffers for all. */
    private static final int RECORDS_PER_BUFFER = 4;
    private static final int RECORD_HEADER = 5;
    /** Bytes held while a handshake task runs, at most: a peer cannot make the server hold more. */
    private static final int MAX_HELD_RECORDS = 4;

    /** The most plaintext one record carries. */
    private static final int MAX_RECORD_PLAINTEXT = 16_384;

    private final SSLEngine engine;
    /** The session's largest record and largest plaintext of one, from {@link #readSessionSizes}. */
    private int packetSize;
    private int applicationSize;
    private final Duration handshakeTimeout;
    private StageContext context;
    private Accumulator held;
    /** Plaintext sent before the handshake ended: wrapped once it has. */
    private final ArrayDeque<IoBuffer> waiting = new ArrayDeque<>();
    private Runnable cancelTimeout;
    private boolean taskRunning;
    private boolean handshakeDone;
    private boolean failed;
    private boolean released;

    TlsStage(SSLEngine engine, Duration handshakeTimeout) {
        this.engine = engine;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public void onOpen(StageContext context) {
        this.context = context;
        this.held = new Accumulator(context.pool(), context.partialBudget());
        readSessionSizes();
        context.holdConnect();
        cancelTimeout = context.schedule(handshakeTimeout, () -> {
            if (!handshakeDone) {
                fail(new SSLHandshakeException("the TLS handshake did not finish within " + handshakeTimeout));
            }
        });
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        drive(NOTHING);
    }

    @Override
    public void inbound(StageContext context, ByteBuffer bytes) {
        while (bytes.hasRemaining() && !failed && !released && !taskRunning) {
            if (held.size() == 0) {
                drive(bytes);
                break;
            }
            // A record began in an earlier read: gather only what completes it, then go on from the input itself.
            int needed = bytesToCompleteRecord();
            if (needed < 0 || !hold(bytes, Math.min(bytes.remaining(), needed))) {
                return;
            }
            driveHeld();
        }
        if (bytes.hasRemaining() && !failed && !released) {
            hold(bytes, bytes.remaining());
        }
    }

    /** Bytes the held record lacks (its header first); -1, and the connection failed, for an oversized record. */
    private int bytesToCompleteRecord() {
        ByteBuffer record = held.bytes();
        if (record.remaining() < RECORD_HEADER) {
            return RECORD_HEADER - record.remaining();
        }
        int length = RECORD_HEADER + (((record.get(3) & 0xFF) << 8) | (record.get(4) & 0xFF));
        if (length > packetSize) {
            fail(new SSLException("a TLS record of " + length + " bytes, over the limit"));
            return -1;
        }
        return Math.max(1, length - record.remaining());
    }

    /** Keeps bytes that cannot be unwrapped yet; false (and the connection failed) past the bound or the budget. */
    private boolean hold(ByteBuffer bytes, int count) {
        int limit = MAX_HELD_RECORDS * packetSize;
        if (held.size() + count > limit) {
            fail(new SSLException("more than " + limit + " bytes arrived that no record could take"));
            return false;
        }
        if (!held.append(bytes, count, limit)) {
            failed = true;
            context.close(CloseReason.MEMORY_BUDGET, null);
            return false;
        }
        return true;
    }

    private void driveHeld() {
        ByteBuffer bytes = held.bytes();
        int before = bytes.remaining();
        drive(bytes);
        if (!released) {
            held.consume(before - bytes.remaining());
        }
    }

    /** Runs the engine on {@code input} until it needs more bytes, a task, or the input is used up. */
    private void drive(ByteBuffer input) {
        try {
            for (;;) {
                if (failed || released) {
                    return;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        runTasks();
                        return;
                    }
                    case NEED_WRAP -> {
                        if (wrap(NOTHING) == 0 && engine.getHandshakeStatus()
                                == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                            throw new SSLException("the TLS engine asked to send but made nothing");
                        }
                    }
                    default -> {
                        if (!unwrap(input)) {
                            return;
                        }
                    }
                }
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    /** Unwraps one record from {@code input}; false when there is nothing more to do with it now. */
    private boolean unwrap(ByteBuffer input) throws SSLException {
        if (!input.hasRemaining() && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN) {
            return false;
        }
        // Copied once into the heap, then unwrapped record by record while nothing but records is asked for.
        HeapScratch scratch = HeapScratch.get();
        int available = input.remaining();
        ByteBuffer net = scratch.netIn(Math.max(packetSize, Math.min(available, MAX_HELD_RECORDS * packetSize)));
        int take = Math.min(available, net.capacity());
        net.put(0, input, input.position(), take).limit(take);
        try {
            for (;;) {
                ByteBuffer out = scratch.appOut(applicationSize);
                SSLEngineResult result = engine.unwrap(net, out);
                SSLEngineResult.HandshakeStatus handshake = result.getHandshakeStatus();
                if (handshake == SSLEngineResult.HandshakeStatus.FINISHED) {
                    finished();
                } else if (handshakeDone && result.getStatus() == SSLEngineResult.Status.OK
                        && renegotiating(result)) {
                    throw new SSLException("renegotiation refused");
                }
                out.flip();
                if (out.hasRemaining() && handshakeDone) {
                    context.passInbound(out);
                }
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        // A record cut by the end of the copy: go on from its start if more came behind it.
                        return take < available;
                    }
                    case CLOSED -> {
                        peerClosed();
                        return false;
                    }
                    case BUFFER_OVERFLOW -> readSessionSizes();
                    default -> {
                        boolean recordsOnly = handshake == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                                || handshake == SSLEngineResult.HandshakeStatus.FINISHED;
                        if (!recordsOnly || !net.hasRemaining() || failed || released) {
                            return true;
                        }
                    }
                }
            }
        } finally {
            // A handler that closed the connection from passInbound released the stage, and with it the held
            // bytes this input may be a view of: that buffer is back in the pool and is not touched.
            if (!released) {
                input.position(input.position() + net.position());
            }
        }
    }

    /** TLS 1.2 renegotiation: a handshake beginning again after the first one. TLS 1.3 has none. */
    private boolean renegotiating(SSLEngineResult result) {
        SSLEngineResult.HandshakeStatus status = result.getHandshakeStatus();
        boolean handshaking = status == SSLEngineResult.HandshakeStatus.NEED_TASK
                || status == SSLEngineResult.HandshakeStatus.NEED_WRAP;
        return handshaking && "TLSv1.2".equals(engine.getSession().getProtocol());
    }

    /**
     * Wraps {@code plaintext} (all of it) into records, several to a send buffer, and passes them on; returns the
     * bytes passed.
     */
    private int wrap(ByteBuffer plaintext) throws SSLException {
        HeapScratch scratch = HeapScratch.get();
        int produced = 0;
        boolean finishing = false;
        do {
            int records = Math.max(1, Math.min(RECORDS_PER_BUFFER, plaintext.remaining() / MAX_RECORD_PLAINTEXT + 1));
            ByteBuffer plain = scratch.plainIn(Math.min(plaintext.remaining(), records * MAX_RECORD_PLAINTEXT));
            int take = Math.min(plaintext.remaining(), plain.capacity());
            plain.put(0, plaintext, plaintext.position(), take).limit(take);
            ByteBuffer out = scratch.netOut(packetSize * records);
            SSLEngineResult result;
            do {
                result = engine.wrap(plain, out);
                // The handshake's last message goes out before anything the end of the handshake lets through.
                finishing |= result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
            } while (plain.hasRemaining() && result.getStatus() == SSLEngineResult.Status.OK
                    && out.remaining() >= packetSize);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && plain.hasRemaining()) {
                throw new SSLException("TLS is closed for sending");
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                readSessionSizes();
            }
            plaintext.position(plaintext.position() + plain.position());
            out.flip();
            if (out.hasRemaining()) {
                int length = out.remaining();
                IoBuffer sending = context.pool().lease(length);
                sending.byteBuffer().put(0, out, 0, length).limit(length);
                produced += length;
                context.passOutbound(sending);
            }
        } while (plaintext.hasRemaining());
        if (finishing) {
            finished();
        }
        return produced;
    }

    /** The session's record sizes, read again when they may have changed (a handshake, an overflow). */
    private void readSessionSizes() {
        SSLSession session = engine.getSession();
        packetSize = session.getPacketBufferSize();
        applicationSize = session.getApplicationBufferSize();
    }

    @Override
    public boolean seesOutbound() {
        return true;
    }

    @Override
    public void outbound(StageContext context, IoBuffer bytes) {
        if (failed) {
            bytes.release();
            return;
        }
        if (!handshakeDone) {
            waiting.add(bytes);
            return;
        }
        try {
            // Read through a view: the buffer may be shared by a broadcast.
            wrap(bytes.byteBuffer().duplicate());
        } catch (SSLException e) {
            fail(e);
        } finally {
            bytes.release();
        }
    }

    @Override
    public void onClosing(StageContext context) {
        if (failed || !handshakeDone) {
            return;
        }
        engine.closeOutbound();
        try {
            wrap(NOTHING);
        } catch (SSLException e) {
            // The close goes on without its close_notify.
        }
    }

    private void runTasks() {
        taskRunning = true;
        context.runBlocking(() -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }, () -> {
            taskRunning = false;
            driveHeld();
        });
    }

    private void finished() {
        if (handshakeDone) {
            return;
        }
        handshakeDone = true;
        if (cancelTimeout != null) {
            cancelTimeout.run();
        }
        readSessionSizes();
        SSLSession session = engine.getSession();
        Connection connection = context.connection();
        connection.setAttr(Tls.SESSION, session);
        String alpn = engine.getApplicationProtocol();
        if (alpn != null && !alpn.isEmpty()) {
            connection.setAttr(Tls.APPLICATION_PROTOCOL, alpn);
        }
        context.releaseConnect();
        IoBuffer next;
        while (!failed && (next = waiting.poll()) != null) {
            outbound(context, next);
        }
    }

    /** The peer's close_notify: answer with ours; the socket's end follows. */
    private void peerClosed() throws SSLException {
        if (!engine.isOutboundDone()) {
            engine.closeOutbound();
            wrap(NOTHING);
        }
    }

    private void fail(SSLException cause) {
        if (failed) {
            return;
        }
        failed = true;
        // An alert the engine made for the failure goes out first, when it can.
        try {
            engine.closeOutbound();
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(NOTHING);
            }
        } catch (SSLException | RuntimeException ignored) {
            // The failure is reported as it was.
        }
        context.close(CloseReason.TLS_FAILED, cause);
    }

    @Override
    public long memoryHeld() {
        long waitingBytes = 0;
        for (IoBuffer buffer : waiting) {
            waitingBytes += buffer.capacity();
        }
        return (held == null ? 0 : held.memoryHeld()) + waitingBytes;
    }

    @Override
    public void release() {
        released = true;
        if (cancelTimeout != null) {
            cancelTimeout.run();
        }
        if (held != null) {
            held.clear();
        }
        IoBuffer next;
        while ((next = waiting.poll()) != null) {
            next.release();
        }
    }
}
