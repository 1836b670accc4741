package io.iocp4j.internal;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageContext;
import io.iocp4j.stage.StageFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * One connection's byte stages, in the order inbound bytes meet them, between the socket and the codec. Inbound
 * bytes enter at the first stage and leave the last one into the receiving side; outbound bytes enter at the last
 * stage that sees outbound bytes and leave the first one into the send queue's wire side.
 *
 * <p>Port thread only. A stage that throws ends its connection ({@link CloseReason#STAGE_FAILED}) and no other.
 */
final class StageChain {
    private final Slot[] slots;
    private final Connection connection;
    private final Host host;
    /** Some stage, still in the chain, sees outbound bytes. */
    private boolean outbound;
    /** Stages holding the handler's onConnect. */
    private int connectHolds;
    private boolean opening;
    private boolean released;

    /**
     * What the chain reaches of its connection: where the bytes leave it (the receiving side, the send queue), the
     * handler's onConnect, the lifetime, and the engine's buffers, budget and threads.
     */
    interface Host {
        void inboundFromStages(ByteBuffer bytes);

        void outboundFromStages(IoBuffer bytes);

        void connectReleased();

        void stageFailed(Throwable error);

        BufferPool pool();

        MemoryBudget partialFrameBudget();

        BlockingTasks blockingTasks();

        /** Runs {@code task} on the connection's port thread, following it if it moves. */
        void runOnPort(Runnable task);

        /** Schedules on the connection's current port. */
        ScheduledTask schedule(long delayNanos, Runnable task);

        void acquire();

        void dropReference();

        boolean isOpen();

        void close(CloseReason reason, Throwable cause);

        /** The real peer is {@code client} (a PROXY header): judged again by the admission rules; false if refused. */
        boolean peerIs(InetSocketAddress client);
    }

    StageChain(Connection connection, List<StageFactory> factories, Host host) {
        this.connection = connection;
        this.host = host;
        this.slots = new Slot[factories.size()];
        for (int i = 0; i < slots.length; i++) {
            ByteStage stage = factories.get(i).newStage(connection);
            if (stage == null) {
                releaseMade(i);
                throw new IllegalStateException("stage factory " + i + " made no stage for " + connection);
            }
            slots[i] = new Slot(i, stage);
        }
        outbound = anyOutbound();
    }

    private void releaseMade(int count) {
        for (int i = 0; i < count; i++) {
            slots[i].release();
        }
    }

    private boolean anyOutbound() {
        for (Slot slot : slots) {
            if (!slot.removed && slot.stage.seesOutbound()) {
                return true;
            }
        }
        return false;
    }

    /** Some stage sees what is sent: sends pass the chain before the socket. */
    boolean seesOutbound() {
        return outbound;
    }

    /** Tells every stage the connection is open; true when one of them holds the handler's onConnect. */
    boolean open() {
        opening = true;
        try {
            for (Slot slot : slots) {
                if (!slot.removed && host.isOpen()) {
                    slot.stage.onOpen(slot);
                }
            }
        } catch (Throwable t) {
            failed(t);
        } finally {
            opening = false;
        }
        return connectHolds > 0;
    }

    /** Bytes from the socket. */
    void inbound(ByteBuffer bytes) {
        try {
            passInbound(0, bytes);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Bytes the codec made, taking over one reference of {@code bytes}. */
    void outbound(IoBuffer bytes) {
        try {
            passOutbound(slots.length - 1, bytes);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** The connection closes gracefully: the stages that see outbound bytes may pass last ones, innermost first. */
    void closing() {
        try {
            for (int i = slots.length - 1; i >= 0; i--) {
                Slot slot = slots[i];
                if (!slot.removed && slot.stage.seesOutbound()) {
                    slot.stage.onClosing(slot);
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    long memoryHeld() {
        long held = 0;
        for (Slot slot : slots) {
            if (!slot.removed) {
                held += slot.stage.memoryHeld();
            }
        }
        return held;
    }

    /** The connection is released: every stage still in the chain gives back what it holds, once. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        for (Slot slot : slots) {
            slot.release();
        }
    }

    private void passInbound(int from, ByteBuffer bytes) {
        for (int i = from; i < slots.length; i++) {
            Slot slot = slots[i];
            if (!slot.removed) {
                slot.stage.inbound(slot, bytes);
                return;
            }
        }
        if (connectHolds > 0) {
            throw new IllegalStateException("bytes passed on while onConnect is held, on " + connection);
        }
        host.inboundFromStages(bytes);
    }

    private void passOutbound(int from, IoBuffer bytes) {
        for (int i = from; i >= 0; i--) {
            Slot slot = slots[i];
            if (!slot.removed && slot.stage.seesOutbound()) {
                slot.stage.outbound(slot, bytes);
                return;
            }
        }
        host.outboundFromStages(bytes);
    }

    private void failed(Throwable error) {
        host.stageFailed(error);
        if (error instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }

    /** One stage's place in the chain, and its context. */
    private final class Slot implements StageContext {
        final int index;
        final ByteStage stage;
        boolean removed;
        boolean releasedHere;
        boolean holdsConnect;

        Slot(int index, ByteStage stage) {
            this.index = index;
            this.stage = stage;
        }

        void release() {
            if (!releasedHere) {
                releasedHere = true;
                stage.release();
            }
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public BufferPool pool() {
            return host.pool();
        }

        @Override
        public Accumulator.Allowance partialBudget() {
            return host.partialFrameBudget();
        }

        @Override
        public void passInbound(ByteBuffer bytes) {
            StageChain.this.passInbound(index + 1, bytes);
        }

        @Override
        public void passOutbound(IoBuffer bytes) {
            StageChain.this.passOutbound(index - 1, bytes);
        }

        @Override
        public void remove() {
            if (removed) {
                return;
            }
            removed = true;
            if (holdsConnect) {
                releaseConnect();
            }
            outbound = anyOutbound();
            release();
        }

        @Override
        public void holdConnect() {
            if (!opening) {
                throw new IllegalStateException("onConnect can be held only from onOpen");
            }
            if (!holdsConnect) {
                holdsConnect = true;
                connectHolds++;
            }
        }

        @Override
        public void releaseConnect() {
            if (!holdsConnect) {
                return;
            }
            holdsConnect = false;
            if (--connectHolds == 0 && host.isOpen()) {
                host.connectReleased();
            }
        }

        @Override
        public void close(CloseReason reason, Throwable cause) {
            host.close(reason, cause);
        }

        @Override
        public boolean peerIs(InetSocketAddress client) {
            if (!holdsConnect) {
                throw new IllegalStateException("the peer can be named only while onConnect is held");
            }
            return host.peerIs(client);
        }

        @Override
        public void runBlocking(Runnable task, Runnable then) {
            host.acquire();
            try {
                host.blockingTasks().execute(() -> {
                    Throwable failure = null;
                    try {
                        task.run();
                    } catch (Throwable t) {
                        failure = t;
                    }
                    Throwable failed = failure;
                    host.runOnPort(() -> {
                        try {
                            if (failed != null) {
                                failed(failed);
                            } else if (host.isOpen() && !removed) {
                                then.run();
                            }
                        } catch (Throwable t) {
                            failed(t);
                        } finally {
                            host.dropReference();
                        }
                    });
                });
            } catch (RuntimeException refused) {
                // The engine is shutting down and takes no more tasks: the connection ends with it.
                host.dropReference();
                host.close(CloseReason.SHUTDOWN, null);
            }
        }

        @Override
        public Runnable schedule(Duration delay, Runnable task) {
            ScheduledTask scheduled = host.schedule(delay.toNanos(), () -> host.runOnPort(() -> {
                if (host.isOpen() && !removed) {
                    try {
                        task.run();
                    } catch (Throwable t) {
                        failed(t);
                    }
                }
            }));
            return scheduled::cancel;
        }
    }
}
