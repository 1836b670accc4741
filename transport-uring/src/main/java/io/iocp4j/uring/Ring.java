package io.iocp4j.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One io_uring instance: its descriptor and its mapped submission and completion queues. Owned by one thread,
 * the one that opened it (the kernel enforces this with IORING_SETUP_SINGLE_ISSUER): only that thread submits,
 * reaps and closes.
 */
final class Ring implements AutoCloseable {
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int PAGE = 4096;

    private final int fd;
    private final int features;
    private final int setupFlags;
    private final MemorySegment errno;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqFlagsOffset;
    private final SubmissionQueue submissions;
    private final CompletionQueue completions;
    private boolean closed;

    private Ring(int fd, RingParams params, MemorySegment errno, MemorySegment sqRing, MemorySegment cqRing,
                 MemorySegment sqes) {
        this.fd = fd;
        this.features = params.features();
        this.setupFlags = params.flags();
        this.errno = errno;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqFlagsOffset = params.sqFlags();
        this.submissions = new SubmissionQueue(sqRing, sqes, params);
        this.completions = new CompletionQueue(cqRing, params);
        submissions.flusher(this::submitQueued);
    }

    /**
     * Sets up a ring of {@code entries} submission entries and {@code cqEntries} completion entries with
     * {@code flags}. The errno state and parameters are allocated from {@code arena}, which must outlive the ring.
     */
    static Ring open(int entries, int cqEntries, int flags, Arena arena) throws IOException {
        MemorySegment errno = LibC.newErrnoState(arena);
        RingParams params = new RingParams(arena.allocate(RingParams.BYTES, 8));
        params.request(entries, cqEntries, flags | IoUring.IORING_SETUP_CQSIZE);
        long fd = LibC.syscall(errno, LibC.SYS_IO_URING_SETUP, entries, params.segment().address(), 0, 0, 0, 0);
        if (fd < 0) {
            throw Errnos.exception("io_uring_setup", LibC.errno(errno));
        }
        int ringFd = (int) fd;
        MemorySegment sqRing = null;
        MemorySegment cqRing = null;
        try {
            long sqSize = params.sqArray() + 4L * params.sqEntries();
            long cqSize = params.cqCqes() + (long) Cqe.BYTES * params.cqEntries();
            if ((params.features() & IoUring.IORING_FEAT_SINGLE_MMAP) != 0) {
                sqRing = map(errno, ringFd, Math.max(sqSize, cqSize), IoUring.IORING_OFF_SQ_RING);
                cqRing = sqRing;
            } else {
                sqRing = map(errno, ringFd, sqSize, IoUring.IORING_OFF_SQ_RING);
                cqRing = map(errno, ringFd, cqSize, IoUring.IORING_OFF_CQ_RING);
            }
            MemorySegment sqes = map(errno, ringFd, (long) Sqe.BYTES * params.sqEntries(),
                    IoUring.IORING_OFF_SQES);
            return new Ring(ringFd, params, errno, sqRing, cqRing, sqes);
        } catch (IOException | RuntimeException e) {
            unmap(sqRing);
            if (cqRing != sqRing) {
                unmap(cqRing);
            }
            LibC.close(ringFd);
            throw e;
        }
    }

    private static MemorySegment map(MemorySegment errno, int fd, long size, long offset) throws IOException {
        long rounded = (size + PAGE - 1) & -PAGE;
        long address = LibC.mmap(errno, rounded, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, offset);
        if (address == LibC.MAP_FAILED) {
            throw Errnos.exception("mmap of the io_uring queues", LibC.errno(errno));
        }
        return MemorySegment.ofAddress(address).reinterpret(rounded);
    }

    private static void unmap(MemorySegment mapped) {
        if (mapped != null) {
            LibC.munmap(mapped.address(), mapped.byteSize());
        }
    }

    int fd() {
        return fd;
    }

    int features() {
        return features;
    }

    int setupFlags() {
        return setupFlags;
    }

    SubmissionQueue submissions() {
        return submissions;
    }

    CompletionQueue completions() {
        return completions;
    }

    /** True when the kernel holds completions it could not post because the completion queue was full. */
    boolean completionsOverflowed() {
        // Written by the kernel when it starts and stops keeping completions aside.
        return ((int) INT.getAcquire(sqRing, sqFlagsOffset) & IoUring.IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /**
     * {@code io_uring_enter}: submits {@code toSubmit} entries and, with IORING_ENTER_GETEVENTS, waits for
     * {@code minComplete} completions. Returns the entries submitted, or a negative errno.
     */
    int enter(int toSubmit, int minComplete, int flags, long argument, long argumentSize) {
        long result = LibC.syscall(errno, LibC.SYS_IO_URING_ENTER, fd, toSubmit, minComplete, flags, argument,
                argumentSize);
        return result < 0 ? -LibC.errno(errno) : (int) result;
    }

    /** {@code io_uring_register}; returns its result or a negative errno. */
    int register(int opcode, long argument, int count) {
        long result = LibC.syscall(errno, LibC.SYS_IO_URING_REGISTER, fd, opcode, argument, count, 0, 0);
        return result < 0 ? -LibC.errno(errno) : (int) result;
    }

    /**
     * Submits what is queued without waiting. EINTR is retried. EBUSY and EAGAIN mean the kernel holds completions
     * it has not posted yet (or is short of memory): it is entered once to post them, and the submission retried.
     */
    void submitQueued() {
        submissions.publish();
        for (int attempt = 0; submissions.pending() > 0; attempt++) {
            int result = enter(submissions.pending(), 0, 0, 0, 0);
            if (result >= 0 || result == -Errnos.EINTR) {
                continue;
            }
            if ((result == -Errnos.EBUSY || result == -Errnos.EAGAIN) && attempt < 100) {
                enter(0, 0, IoUring.IORING_ENTER_GETEVENTS, 0, 0);
                Thread.onSpinWait();
                continue;
            }
            throw new IllegalStateException(Errnos.message("io_uring_enter", -result));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmap(sqes);
        if (cqRing != sqRing) {
            unmap(cqRing);
        }
        unmap(sqRing);
        LibC.close(fd);
    }
}
