package io.iocp4j.testkit;

import io.iocp4j.CloseReason;
import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageContext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Byte stages that exercise every seam of the pipeline: transform, hold, remove, throw, run off the port, close. */
public final class TestStages {
    /** The greeting a {@link Greeting} stage waits for before anything else passes. */
    public static final byte[] HELLO = "HELO".getBytes(StandardCharsets.US_ASCII);
    /** The byte that makes a {@link Tripwire} throw. */
    public static final byte TRIP = (byte) 0xEE;
    /** What a {@link Farewell} stage sends last, when the connection closes gracefully. */
    public static final byte[] BYE = "BYE!".getBytes(StandardCharsets.US_ASCII);

    private TestStages() {
    }

    /** Flips every byte both ways with a key: each outbound buffer becomes a new lease, the old one released. */
    public static final class Xor implements ByteStage {
        private final StageLedger ledger;
        private final byte key;
        private byte[] scratch = new byte[0];

        public Xor(StageLedger ledger, byte key) {
            this.ledger = ledger;
            this.key = key;
        }

        @Override
        public void inbound(StageContext context, ByteBuffer bytes) {
            // Transformed in place: the receive buffer is this connection's own until the call returns.
            for (int i = bytes.position(); i < bytes.limit(); i++) {
                bytes.put(i, (byte) (bytes.get(i) ^ key));
            }
            context.passInbound(bytes);
        }

        @Override
        public boolean seesOutbound() {
            return true;
        }

        @Override
        public void outbound(StageContext context, IoBuffer bytes) {
            // The buffer may be shared with other connections (a broadcast): read it through a view, never change it.
            ByteBuffer source = bytes.byteBuffer().duplicate();
            int length = source.remaining();
            IoBuffer flipped = context.pool().lease(length);
            ByteBuffer out = flipped.byteBuffer();
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            source.get(scratch, 0, length);
            for (int i = 0; i < length; i++) {
                out.put(i, (byte) (scratch[i] ^ key));
            }
            out.position(0).limit(length);
            bytes.release();
            context.passOutbound(flipped);
        }

        @Override
        public void release() {
            ledger.released(this);
        }
    }

    /**
     * Holds the handler's onConnect and every byte until the peer's first four bytes are {@link #HELLO}, gathering
     * them across reads in a buffer charged to the partial-frame budget; then passes what followed them and removes
     * itself. Anything else as a greeting ends the connection.
     */
    public static final class Greeting implements ByteStage {
        private final StageLedger ledger;
        private Accumulator gathered;

        public Greeting(StageLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void onOpen(StageContext context) {
            context.holdConnect();
            gathered = new Accumulator(context.pool(), context.partialBudget());
        }

        @Override
        public void inbound(StageContext context, ByteBuffer bytes) {
            int take = Math.min(HELLO.length - gathered.size(), bytes.remaining());
            if (!gathered.append(bytes, take, HELLO.length)) {
                context.close(CloseReason.MEMORY_BUDGET, null);
                return;
            }
            if (gathered.size() < HELLO.length) {
                return;
            }
            ByteBuffer greeting = gathered.bytes();
            for (int i = 0; i < HELLO.length; i++) {
                if (greeting.get(greeting.position() + i) != HELLO[i]) {
                    context.close(CloseReason.PROTOCOL_ERROR, new IllegalArgumentException("not a greeting"));
                    return;
                }
            }
            context.releaseConnect();
            ledger.removedItself();
            context.remove();
            if (bytes.hasRemaining()) {
                context.passInbound(bytes);
            }
        }

        @Override
        public long memoryHeld() {
            return gathered == null ? 0 : gathered.memoryHeld();
        }

        @Override
        public void release() {
            if (gathered != null) {
                gathered.clear();
            }
            ledger.released(this);
        }
    }

    /** Passes everything on, and throws on the byte {@link #TRIP}. */
    public static final class Tripwire implements ByteStage {
        private final StageLedger ledger;

        public Tripwire(StageLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void inbound(StageContext context, ByteBuffer bytes) {
            for (int i = bytes.position(); i < bytes.limit(); i++) {
                if (bytes.get(i) == TRIP) {
                    throw new IllegalStateException("tripwire at byte " + i);
                }
            }
            context.passInbound(bytes);
        }

        @Override
        public void release() {
            ledger.released(this);
        }
    }

    /**
     * Copies each chunk received into a lease of its own and passes it on only after a task off the I/O thread
     * has run, as a TLS stage does with a handshake's delegated work; later chunks wait behind it, in order.
     */
    public static final class OffPort implements ByteStage {
        private final StageLedger ledger;
        private final java.util.ArrayDeque<IoBuffer> waiting = new java.util.ArrayDeque<>();
        private boolean away;
        private long held;

        public OffPort(StageLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void inbound(StageContext context, ByteBuffer bytes) {
            IoBuffer copy = context.pool().lease(bytes.remaining());
            copy.byteBuffer().put(0, bytes, bytes.position(), bytes.remaining()).limit(bytes.remaining());
            bytes.position(bytes.limit());
            waiting.add(copy);
            held += copy.capacity();
            if (!away) {
                sendAway(context);
            }
        }

        private void sendAway(StageContext context) {
            away = true;
            context.runBlocking(() -> Thread.onSpinWait(), () -> {
                away = false;
                IoBuffer next = waiting.poll();
                if (next != null) {
                    held -= next.capacity();
                    try {
                        context.passInbound(next.byteBuffer());
                    } finally {
                        next.release();
                    }
                }
                if (!waiting.isEmpty()) {
                    sendAway(context);
                }
            });
        }

        @Override
        public long memoryHeld() {
            return held;
        }

        @Override
        public void release() {
            IoBuffer next;
            while ((next = waiting.poll()) != null) {
                next.release();
            }
            held = 0;
            ledger.released(this);
        }
    }

    /** Sends {@link #BYE} raw, after everything else, when its connection closes gracefully. */
    public static final class Farewell implements ByteStage {
        private final StageLedger ledger;

        public Farewell(StageLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public boolean seesOutbound() {
            return true;
        }

        @Override
        public void onClosing(StageContext context) {
            IoBuffer bye = context.pool().lease(BYE.length);
            bye.byteBuffer().put(0, BYE).limit(BYE.length);
            context.passOutbound(bye);
        }

        @Override
        public void release() {
            ledger.released(this);
        }
    }
}
