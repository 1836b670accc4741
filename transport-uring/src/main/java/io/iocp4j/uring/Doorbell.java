package io.iocp4j.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How other threads wake a port blocked in {@code io_uring_enter}: an eventfd on which the port keeps a read in
 * flight. A waker writes to it only when the port has announced that it is about to sleep, so a busy port costs
 * its posters no system call; wakes that come together merge into one.
 */
final class Doorbell {
    /** The 8-byte 1 every waker writes; shared, as the kernel only reads it. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);
    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(Doorbell.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int eventFd;
    /** Where the port's read puts the counter; only the port's ring writes it. */
    private final MemorySegment counter;
    @SuppressWarnings("unused")
    private volatile int sleeping;

    private Doorbell(int eventFd, MemorySegment counter) {
        this.eventFd = eventFd;
        this.counter = counter;
    }

    /** Port thread. The eventfd is blocking: a non-blocking one would make the ring's read fail with EAGAIN. */
    static Doorbell open(MemorySegment errno, Arena arena) throws IOException {
        int fd = LibC.eventfd(errno, 0, LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw Errnos.exception("eventfd", LibC.errno(errno));
        }
        return new Doorbell(fd, arena.allocate(JAVA_LONG));
    }

    /** Port thread: puts the read in flight again; its completion is the wake. */
    void arm(SubmissionQueue submissions, long userData) {
        submissions.read(eventFd, counter.address(), 8, userData);
    }

    /**
     * Port thread, before checking its queue one last time and blocking. A post that lands after that check sees
     * the announcement and rings.
     */
    void announceSleep() {
        sleeping = 1;
    }

    /** Port thread: awake again, posts need not ring. */
    void awake() {
        sleeping = 0;
    }

    /** Any thread, after posting work. */
    void ring() {
        if (SLEEPING.compareAndSet(this, 1, 0)) {
            LibC.write(eventFd, ONE, 8);
        }
    }

    /** Port thread, once the read is no longer in flight. */
    void close() {
        LibC.close(eventFd);
    }
}
