package io.iocp4j.nio2;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.CompletionSink;
import io.iocp4j.spi.ConnectHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A completion port on an {@link AsynchronousChannelGroup} of exactly one thread: every completion of the
 * group's channels runs on that thread, so it owns its connections as an io_uring thread owns its ring.
 *
 * <p>Other threads post work through a queue and one wake-up: a read on a channel of the group that is already
 * closed. NIO.2 guarantees that the handler of an operation started outside the group runs on a thread of the
 * group, so the failed read's handler is the port's own {@code PostQueuedCompletionStatus}; wakes merge while one
 * is pending.
 */
final class Nio2Port implements CompletionPort {
    private static final System.Logger LOG = System.getLogger(Nio2Port.class.getName());

    private final String threadName;
    private final BufferPool pool;
    private final CompletionSink sink;
    private final AsynchronousChannelGroup group;
    private volatile Thread thread;
    /** Reads in flight, each holding a buffer; written by the port thread only. */
    private volatile int readsHoldingBuffers;

    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AsynchronousSocketChannel waker;
    private final ByteBuffer wakeBuffer = ByteBuffer.allocate(1);
    private final CompletionHandler<Integer, Void> wakeHandler = new CompletionHandler<>() {
        @Override
        public void completed(Integer result, Void attachment) {
            drainInbox();
        }

        @Override
        public void failed(Throwable expected, Void attachment) {
            drainInbox();
        }
    };

    // Port thread only: tasks posted from the port thread run after the completion being handled.
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private int depth;

    Nio2Port(PortConfig config) throws IOException {
        this.threadName = config.threadName();
        this.pool = config.pool();
        this.sink = config.sink();
        this.group = AsynchronousChannelGroup.withFixedThreadPool(1, runnable -> {
            Thread created = new Thread(runnable, threadName);
            // The JDK replaces a pool thread that a handler killed; the replacement owns the port from then on.
            thread = created;
            return created;
        });
        this.waker = AsynchronousSocketChannel.open(group);
        waker.close();
    }

    BufferPool pool() {
        return pool;
    }

    CompletionSink sink() {
        return sink;
    }

    @Override
    public boolean inPortThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (inPortThread()) {
            deferred.add(task);
            if (depth == 0) {
                enter();
                leave();
            }
            return;
        }
        inbox.offer(task);
        if (wakePending.compareAndSet(false, true)) {
            try {
                waker.read(wakeBuffer, null, wakeHandler);
            } catch (ShutdownChannelGroupException e) {
                LOG.log(System.Logger.Level.DEBUG, threadName + " is shut down; a posted task will not run");
            }
        }
    }

    private void drainInbox() {
        enter();
        try {
            // Cleared first: a post that lands after this sees false and wakes the port again.
            wakePending.set(false);
            Runnable task;
            while ((task = inbox.poll()) != null) {
                deferred.add(task);
            }
        } finally {
            leave();
        }
    }

    /** Marks the start of a call from the JDK into this port's code, on the port thread. */
    void enter() {
        depth++;
    }

    /** Ends such a call; the outermost one runs what was deferred meanwhile. */
    void leave() {
        if (depth == 1) {
            Runnable task;
            while ((task = deferred.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "task failed on " + threadName, e);
                }
            }
        }
        depth--;
    }

    void readStarted() {
        readsHoldingBuffers = readsHoldingBuffers + 1;
    }

    void readEnded() {
        readsHoldingBuffers = readsHoldingBuffers - 1;
    }

    @Override
    public int receiveBuffersHeld() {
        return readsHoldingBuffers;
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable task) {
        PortTimer timer = new PortTimer(task);
        timer.future = Nio2Timers.SCHEDULER.schedule(() -> execute(timer), delayNanos, TimeUnit.NANOSECONDS);
        return timer;
    }

    /** Runs on the port thread unless cancelled first; the JDK's timer thread only posts it. */
    private static final class PortTimer implements ScheduledTask, Runnable {
        private final Runnable task;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;

        PortTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (settled.compareAndSet(false, true)) {
                task.run();
            }
        }

        @Override
        public boolean cancel() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> pending = future;
            if (pending != null) {
                pending.cancel(false);
            }
            return true;
        }
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean reusePort, AcceptHandler handler)
            throws IOException {
        return Nio2Listener.open(this, group, address, backlog, reusePort, handler);
    }

    @Override
    public TransportSocket adopt(SocketHandoff handoff) {
        if (!inPortThread()) {
            throw new IllegalStateException("adopt() off the port thread of " + threadName);
        }
        return Nio2Socket.adopt(this, handoff);
    }

    @Override
    public void connect(InetSocketAddress remote, ConnectHandler handler) {
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | RuntimeException e) {
            IOException error = Nio2Errors.asIOException(e);
            if (group.isShutdown()) {
                // No port thread is left to run it: the caller must still hear the outcome.
                handler.onConnectFailed(error);
            } else {
                execute(() -> handler.onConnectFailed(error));
            }
            return;
        }
        channel.connect(remote, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                enter();
                try {
                    handler.onConnected(new Nio2Socket(Nio2Port.this, channel));
                } finally {
                    leave();
                }
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                enter();
                try {
                    Nio2Socket.closeQuietly(channel);
                    handler.onConnectFailed(Nio2Errors.asIOException(failure));
                } finally {
                    leave();
                }
            }
        });
    }

    @Override
    public void shutdown() {
        group.shutdown();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!group.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        // The group counts as terminated a moment before its thread has finished exiting.
        Thread last = thread;
        if (last != null) {
            last.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return !last.isAlive();
        }
        return true;
    }

    @Override
    public String toString() {
        return threadName;
    }
}
