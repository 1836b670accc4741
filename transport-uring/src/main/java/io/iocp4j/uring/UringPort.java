package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.CompletionSink;
import io.iocp4j.spi.ConnectHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.SendableFile;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A completion port on an io_uring ring, owned by the one thread that created it. Each loop turn runs the tasks
 * posted to the port, submits everything queued and waits for completions in one {@code io_uring_enter}, then
 * hands every completion to the socket, listener or connect it belongs to. Other threads post tasks through a
 * queue and ring the port's {@link Doorbell}.
 */
final class UringPort implements CompletionPort {
    private static final System.Logger LOG = System.getLogger(UringPort.class.getName());
    /** The slot in the user data of the port's own operations; no registration has it. */
    private static final int PORT_SLOT = -1;
    private static final boolean TRACE = Boolean.getBoolean("iocp4j.uring.trace");
    /** How long shutdown waits for the kernel to finish operations it was asked to cancel. */
    private static final long TEARDOWN_WAIT_NANOS = 2_000_000_000L;

    private final String threadName;
    private final BufferPool pool;
    private final CompletionSink sink;
    private final UringSettings settings;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile boolean terminated;

    // Created on the port thread, which alone uses them.
    private Arena arena;
    private Ring ring;
    private BufferRing buffers;
    /** Large buffers for connections receiving a file; null when the settings ask for none. */
    private BufferRing bulkBuffers;
    private MemorySegment scratch;
    private MemorySegment scratchLength;
    private MemorySegment errno;
    private MemorySegment waitArgument;
    private volatile Doorbell doorbell;
    private final Registrations registrations = new Registrations();
    private final PortTimers timers = new PortTimers();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final ArrayDeque<UringSocket> starved = new ArrayDeque<>();
    private final SharedAddresses addresses = new SharedAddresses();
    private final CompletionQueue.Handler dispatcher = this::dispatch;
    private final java.util.function.Consumer<Throwable> failed;
    private long wakeUserData;
    private long finishedOperations;
    /** Written by the port thread only; read by anyone. */
    private volatile long staleCompletions;

    UringPort(PortConfig config, UringSettings settings) throws IOException {
        this.threadName = config.threadName();
        this.pool = config.pool();
        this.sink = config.sink();
        this.failed = config.failed();
        this.settings = settings;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        this.thread = Thread.ofPlatform().name(threadName).unstarted(() -> run(ready));
        thread.start();
        try {
            ready.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open the io_uring port " + threadName, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new IOException("interrupted while opening " + threadName, e);
        }
    }

    // ---- the port thread ----

    private void run(CompletableFuture<Void> ready) {
        try {
            open();
        } catch (Throwable t) {
            closeResources(true);
            terminated = true;
            ready.completeExceptionally(t);
            return;
        }
        ready.complete(null);
        boolean clean = false;
        try {
            loop();
            clean = drainAfterCancellingEverything();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, threadName + " stopped by an error", t);
            try {
                failed.accept(t);
            } catch (Throwable again) {
                t.addSuppressed(again);
            }
            throw t;
        } finally {
            closeResources(clean);
            terminated = true;
        }
    }

    /** Sets the ring up on this thread, which the kernel then holds as its only submitter. */
    private void open() throws IOException {
        arena = Arena.ofShared();
        errno = LibC.newErrnoState(arena);
        scratch = arena.allocate(SocketAddresses.MAX_BYTES, 8);
        scratchLength = arena.allocate(JAVA_LONG);
        // struct io_uring_getevents_arg { u64 sigmask; u32 sigmask_sz; u32 min_wait_usec; u64 ts; } and the
        // struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; } it points to.
        waitArgument = arena.allocate(24 + 16, 8);
        waitArgument.set(JAVA_LONG, 16, waitArgument.address() + 24);
        ring = Ring.open(settings.ringEntries(), settings.completionEntries(), UringProbe.SETUP_FLAGS, arena);
        BufferRing.Returner returner = (owner, buffer) -> execute(() -> owner.returnOnOwner(buffer));
        buffers = new BufferRing(ring, (short) 0, settings.receiveBuffers(), settings.receiveBufferSize(), arena,
                returner);
        if (settings.bulkBuffers() > 0) {
            bulkBuffers = new BufferRing(ring, (short) 1, settings.bulkBuffers(), settings.bulkBufferSize(), arena,
                    returner);
        }
        wakeUserData = UserData.pack(PORT_SLOT, 0, PortOps.WAKE);
        doorbell = Doorbell.open(errno, arena);
        doorbell.arm(ring.submissions(), wakeUserData);
    }

    private void loop() {
        while (true) {
            runTasks();
            timers.runDue();
            resumeStarvedReceives();
            if (stopping && deferred.isEmpty() && inbox.isEmpty()) {
                return;
            }
            int waitFor = 1;
            if (!deferred.isEmpty() || ring.completionsOverflowed()) {
                waitFor = 0;
            } else {
                doorbell.announceSleep();
                // Re-checked after announcing the sleep: a post that came before it is seen here, and one that
                // comes after it sees the announcement and rings.
                if (!inbox.isEmpty() || stopping) {
                    doorbell.awake();
                    waitFor = 0;
                }
            }
            submitAndWait(waitFor, timers.nanosToNext());
            doorbell.awake();
            ring.completions().drain(dispatcher);
        }
    }

    /** One {@code io_uring_enter}: submits everything queued, waits for {@code waitFor} completions at most so long. */
    private void submitAndWait(int waitFor, long timeoutNanos) {
        SubmissionQueue submissions = ring.submissions();
        submissions.publish();
        int flags = IoUring.IORING_ENTER_GETEVENTS;
        long argument = 0;
        long argumentSize = 0;
        if (waitFor > 0 && timeoutNanos != PortTimers.NONE) {
            waitArgument.set(JAVA_LONG, 24, timeoutNanos / 1_000_000_000L);
            waitArgument.set(JAVA_LONG, 32, timeoutNanos % 1_000_000_000L);
            flags |= IoUring.IORING_ENTER_EXT_ARG;
            argument = waitArgument.address();
            argumentSize = 24;
        }
        int result = ring.enter(submissions.pending(), waitFor, flags, argument, argumentSize);
        if (result >= 0 || result == -Errnos.ETIME || result == -Errnos.EINTR || result == -Errnos.EBUSY
                || result == -Errnos.EAGAIN) {
            // A timeout or a signal ends the wait early; EBUSY and EAGAIN mean completions are waiting to be
            // posted: the next turn reaps and enters again, and what was not submitted goes then.
            return;
        }
        throw new IllegalStateException(Errnos.message("io_uring_enter", -result));
    }

    private void runTasks() {
        Runnable task;
        while ((task = inbox.poll()) != null) {
            deferred.add(task);
        }
        // Tasks posted while these run wait for the next turn: completions come first.
        for (int n = deferred.size(); n > 0; n--) {
            runSafely(deferred.poll());
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "task failed on " + threadName, e);
        }
    }

    private void dispatch(long userData, int result, int flags) {
        if (TRACE) {
            LOG.log(System.Logger.Level.INFO, threadName + " cqe op=" + UserData.op(userData) + " slot="
                    + UserData.slot(userData) + " res=" + result + " flags=0x" + Integer.toHexString(flags));
        }
        if ((flags & Cqe.IORING_CQE_F_MORE) == 0) {
            finishedOperations++;
        }
        int op = UserData.op(userData);
        if (UserData.slot(userData) == PORT_SLOT) {
            // The port's own operations: the eventfd read, and the cancel sent at shutdown.
            if (op == PortOps.WAKE && !stopping) {
                doorbell.arm(ring.submissions(), wakeUserData);
            }
            return;
        }
        Registrations.Owner owner = registrations.owner(userData);
        if (owner == null) {
            staleCompletions = staleCompletions + 1;
            if ((flags & Cqe.IORING_CQE_F_BUFFER) != 0) {
                (op == PortOps.RECV_BULK ? bulkBuffers : buffers).giveBack(Cqe.bufferId(flags));
            }
            return;
        }
        owner.complete(op, result, flags);
    }

    private void resumeStarvedReceives() {
        // A receive resumes once its ring has a free buffer again (each may take them all; the others then starve
        // again and wait for the next turn).
        for (int n = starved.size(); n > 0; n--) {
            UringSocket socket = starved.poll();
            BufferRing ring = socket.receiveRing();
            if (ring.lent() < ring.count()) {
                socket.resumeReceive();
            } else {
                starved.add(socket);
            }
        }
    }

    /**
     * Asks the kernel to cancel whatever is still in flight (the eventfd read, and anything a caller left open),
     * then reaps until every operation has completed. False when the kernel did not finish in time: the memory
     * it may still write is then left mapped rather than freed under it.
     */
    private boolean drainAfterCancellingEverything() {
        runTasks();
        if (operationsInFlight() > 0) {
            ring.submissions().cancelEverything(UserData.pack(PORT_SLOT, 0, PortOps.CANCEL));
        }
        long deadline = System.nanoTime() + TEARDOWN_WAIT_NANOS;
        while (operationsInFlight() > 0 && deadline - System.nanoTime() > 0) {
            submitAndWait(1, 50_000_000L);
            ring.completions().drain(dispatcher);
            runTasks();
        }
        if (operationsInFlight() > 0) {
            LOG.log(System.Logger.Level.ERROR, threadName + ": " + operationsInFlight()
                    + " io_uring operations did not complete at shutdown; their memory is kept");
            return false;
        }
        return true;
    }

    private long operationsInFlight() {
        return ring.submissions().prepared() - finishedOperations;
    }

    private void closeResources(boolean freeMemory) {
        if (buffers != null && freeMemory) {
            buffers.unregister();
        }
        if (bulkBuffers != null && freeMemory) {
            bulkBuffers.unregister();
        }
        if (ring != null && freeMemory) {
            ring.close();
        }
        if (doorbell != null) {
            doorbell.close();
        }
        if (arena != null && freeMemory) {
            arena.close();
        }
    }

    // ---- for the port's sockets, listeners and connects (port thread) ----

    SubmissionQueue submissions() {
        return ring.submissions();
    }

    Registrations registrations() {
        return registrations;
    }

    BufferRing buffers() {
        return buffers;
    }

    /** The ring of large buffers for bulk streams, or null. */
    BufferRing bulkBuffers() {
        return bulkBuffers;
    }

    BufferPool pool() {
        return pool;
    }

    CompletionSink sink() {
        return sink;
    }

    /** A sockaddr-sized scratch area and its length word, for address look-ups on the port thread. */
    MemorySegment scratchAddress() {
        return scratch;
    }

    MemorySegment scratchLength() {
        return scratchLength;
    }

    /** Decodes the addresses of this port's sockets, sharing what they have in common. Port thread only. */
    SharedAddresses addresses() {
        return addresses;
    }

    MemorySegment errnoState() {
        return errno;
    }

    /** The socket's receive ran out of ring buffers; it is re-armed once buffers come back. */
    void starved(UringSocket socket) {
        starved.add(socket);
    }

    void notStarved(UringSocket socket) {
        starved.remove(socket);
    }

    @Override
    public long staleCompletions() {
        return staleCompletions;
    }

    // ---- CompletionPort, any thread ----

    @Override
    public boolean inPortThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (inPortThread()) {
            deferred.add(task);
            return;
        }
        if (terminated) {
            LOG.log(System.Logger.Level.DEBUG, threadName + " has stopped; a posted task will not run");
            return;
        }
        inbox.offer(task);
        wake();
    }

    private void wake() {
        Doorbell bell = doorbell;
        if (bell != null) {
            bell.ring();
        }
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable task) {
        PortTimers.Timer timer = PortTimers.create(delayNanos, () -> runSafely(task));
        if (inPortThread()) {
            timers.add(timer);
        } else {
            execute(() -> timers.add(timer));
        }
        return timer;
    }

    @Override
    public int receiveBuffersHeld() {
        BufferRing ring = buffers;
        BufferRing bulk = bulkBuffers;
        return (ring == null ? 0 : ring.lent()) + (bulk == null ? 0 : bulk.lent());
    }

    @Override
    public SendableFile openSendable(Path path, boolean followLinks) throws IOException {
        return settings.splice() ? PipedFile.open(path, followLinks) : null;
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean reusePort, AcceptHandler handler)
            throws IOException {
        return UringListener.open(this, address, backlog, reusePort, handler);
    }

    @Override
    public TransportSocket adopt(SocketHandoff handoff) {
        if (!inPortThread()) {
            throw new IllegalStateException("adopt() off the port thread of " + threadName);
        }
        return UringSocket.adopt(this, handoff);
    }

    @Override
    public void connect(InetSocketAddress remote, ConnectHandler handler) {
        if (terminated || stopping) {
            handler.onConnectFailed(new IOException(threadName + " is shut down"));
            return;
        }
        execute(() -> UringConnect.start(this, remote, handler));
    }

    @Override
    public void shutdown() {
        stopping = true;
        if (!inPortThread()) {
            inbox.offer(() -> { });
            wake();
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout) && !thread.isAlive();
    }

    @Override
    public String toString() {
        return threadName;
    }
}
