package io.iocp4j.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The submission side of a ring, written only by the ring's owner thread. An entry is filled in place in the
 * mapped SQE array; the tail that makes it visible is published by {@link #publish()} just before the ring is
 * entered. When every entry is taken, {@link #next()} first has the ring submit what is queued.
 */
final class SubmissionQueue {
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** Makes room by submitting what is queued; called when the ring is full. */
    interface Flusher {
        void flush();
    }

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long headOffset;
    private final long tailOffset;
    private final int mask;
    private final int entries;
    private Flusher flusher;
    /** The next tail to publish: entries below it are filled. */
    private int tail;
    /** Entries filled since the ring was opened; each ends in at least one completion. */
    private long prepared;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, RingParams params) {
        this.ring = ring;
        this.sqes = sqes;
        this.headOffset = params.sqHead();
        this.tailOffset = params.sqTail();
        // The params hold where each field lives in the mapped ring; the mask itself is read from there.
        this.mask = ring.get(JAVA_INT, params.sqRingMask());
        this.entries = params.sqEntries();
        this.tail = (int) INT.getAcquire(ring, tailOffset);
        // The index array maps ring positions to SQEs; entries are always filled in ring order, so it is the
        // identity, written once.
        long array = params.sqArray();
        for (int i = 0; i < entries; i++) {
            ring.set(JAVA_INT, array + 4L * i, i);
        }
    }

    void flusher(Flusher flusher) {
        this.flusher = flusher;
    }

    int capacity() {
        return entries;
    }

    /** Entries filled and not yet taken by the kernel. */
    int pending() {
        // The kernel advances the head as it consumes entries, inside io_uring_enter on this thread.
        return tail - (int) INT.getAcquire(ring, headOffset);
    }

    /** Makes the filled entries visible to the kernel: the release orders every SQE write before the tail. */
    void publish() {
        INT.setRelease(ring, tailOffset, tail);
    }

    /**
     * Submits what is queued when fewer than {@code needed} entries are free. Linked entries ask for room for the
     * whole chain first: a link cut by a submit is not a link (the kernel runs a chain's head left last in a
     * submission on its own, later, while what followed it runs at once).
     */
    private void makeRoom(int needed) {
        if (entries - pending() < needed) {
            publish();
            flusher.flush();
            if (entries - pending() < needed) {
                throw new IllegalStateException("submission queue still full after a submit: entries=" + entries
                        + " needed=" + needed);
            }
        }
    }

    /** The offset of a fresh, zeroed entry; submits first when the ring is full. */
    private long next() {
        makeRoom(1);
        long offset = (long) (tail & mask) * Sqe.BYTES;
        tail++;
        // Every byte is written: a field left from the entry's previous use would change the meaning of this one.
        for (long i = 0; i < Sqe.BYTES; i += 8) {
            sqes.set(JAVA_LONG, offset + i, 0L);
        }
        return offset;
    }

    long prepared() {
        return prepared;
    }

    private long prepare(byte opcode, int fd, long userData) {
        long sqe = next();
        prepared++;
        sqes.set(JAVA_BYTE, sqe + Sqe.OPCODE, opcode);
        sqes.set(JAVA_INT, sqe + Sqe.FD, fd);
        sqes.set(JAVA_LONG, sqe + Sqe.USER_DATA, userData);
        return sqe;
    }

    void nop(long userData) {
        prepare(Sqe.IORING_OP_NOP, -1, userData);
    }

    /** A receive that stays armed, each result in a buffer the kernel picks from {@code bufferGroup}. */
    void recvMultishot(int fd, short bufferGroup, long userData) {
        long sqe = prepare(Sqe.IORING_OP_RECV, fd, userData);
        sqes.set(JAVA_BYTE, sqe + Sqe.FLAGS, Sqe.IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, sqe + Sqe.IOPRIO, Sqe.IORING_RECV_MULTISHOT);
        sqes.set(JAVA_SHORT, sqe + Sqe.BUF_GROUP, bufferGroup);
    }

    void send(int fd, long address, int length, int msgFlags, long userData) {
        long sqe = prepare(Sqe.IORING_OP_SEND, fd, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, address);
        sqes.set(JAVA_INT, sqe + Sqe.LEN, length);
        sqes.set(JAVA_INT, sqe + Sqe.OP_FLAGS, msgFlags);
    }

    void sendmsg(int fd, long msghdr, int msgFlags, long userData) {
        long sqe = prepare(Sqe.IORING_OP_SENDMSG, fd, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, msghdr);
        sqes.set(JAVA_INT, sqe + Sqe.LEN, 1);
        sqes.set(JAVA_INT, sqe + Sqe.OP_FLAGS, msgFlags);
    }

    /** An accept that stays armed; each accepted socket gets {@code acceptFlags} (SOCK_NONBLOCK, ...). */
    void acceptMultishot(int fd, int acceptFlags, long userData) {
        long sqe = prepare(Sqe.IORING_OP_ACCEPT, fd, userData);
        sqes.set(JAVA_SHORT, sqe + Sqe.IOPRIO, Sqe.IORING_ACCEPT_MULTISHOT);
        sqes.set(JAVA_INT, sqe + Sqe.OP_FLAGS, acceptFlags);
    }

    void connect(int fd, long sockaddr, int sockaddrLength, long userData) {
        long sqe = prepare(Sqe.IORING_OP_CONNECT, fd, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, sockaddr);
        sqes.set(JAVA_LONG, sqe + Sqe.OFF, sockaddrLength);
    }

    void read(int fd, long address, int length, long userData) {
        long sqe = prepare(Sqe.IORING_OP_READ, fd, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, address);
        sqes.set(JAVA_INT, sqe + Sqe.LEN, length);
    }

    /** Cancels the operation submitted with {@code target} as its user data. */
    void cancel(long target, long userData) {
        long sqe = prepare(Sqe.IORING_OP_ASYNC_CANCEL, -1, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, target);
    }

    /**
     * Cancels every operation in flight on {@code fd}, then closes it: two entries hard-linked in one submission,
     * so the close runs after the cancel whatever the cancel found (closing alone does not end a receive).
     */
    void cancelAllThenClose(int fd, long cancelUserData, long closeUserData) {
        makeRoom(2);
        long sqe = prepare(Sqe.IORING_OP_ASYNC_CANCEL, fd, cancelUserData);
        sqes.set(JAVA_BYTE, sqe + Sqe.FLAGS, Sqe.IOSQE_IO_HARDLINK);
        sqes.set(JAVA_INT, sqe + Sqe.OP_FLAGS, Sqe.IORING_ASYNC_CANCEL_FD | Sqe.IORING_ASYNC_CANCEL_ALL);
        close(fd, closeUserData);
    }

    /**
     * Moves up to {@code length} bytes of a file into an empty pipe, waits until the socket can take bytes, and
     * moves them on from the pipe to the socket: three entries linked in one submission. A short or failed step ends
     * the chain there, the entries after it completing with {@code -ECANCELED}.
     */
    void spliceThroughPipe(int file, long filePosition, int pipeWrite, int pipeRead, int socket, int length,
                           long inUserData, long pollUserData, long outUserData) {
        makeRoom(3);
        long in = splice(file, filePosition, pipeWrite, length, inUserData);
        sqes.set(JAVA_BYTE, in + Sqe.FLAGS, Sqe.IOSQE_IO_LINK);
        pollThenSplice(pipeRead, socket, length, pollUserData, outUserData);
    }

    /** Waits until the socket can take bytes, then moves up to {@code length} bytes from the pipe to it. */
    void pollThenSplice(int pipeRead, int socket, int length, long pollUserData, long outUserData) {
        makeRoom(2);
        long poll = prepare(Sqe.IORING_OP_POLL_ADD, socket, pollUserData);
        sqes.set(JAVA_INT, poll + Sqe.OP_FLAGS, Sqe.POLLOUT);
        sqes.set(JAVA_BYTE, poll + Sqe.FLAGS, Sqe.IOSQE_IO_LINK);
        splice(pipeRead, Sqe.NO_OFFSET, socket, length, outUserData);
    }

    private long splice(int in, long inOffset, int out, int length, long userData) {
        long sqe = prepare(Sqe.IORING_OP_SPLICE, out, userData);
        sqes.set(JAVA_LONG, sqe + Sqe.OFF, Sqe.NO_OFFSET);
        sqes.set(JAVA_LONG, sqe + Sqe.ADDR, inOffset);
        sqes.set(JAVA_INT, sqe + Sqe.LEN, length);
        sqes.set(JAVA_INT, sqe + Sqe.SPLICE_FD_IN, in);
        return sqe;
    }

    /** Cancels every operation in flight on the ring. */
    void cancelEverything(long userData) {
        long sqe = prepare(Sqe.IORING_OP_ASYNC_CANCEL, -1, userData);
        sqes.set(JAVA_INT, sqe + Sqe.OP_FLAGS, Sqe.IORING_ASYNC_CANCEL_ANY | Sqe.IORING_ASYNC_CANCEL_ALL);
    }

    private void close(int fd, long userData) {
        prepare(Sqe.IORING_OP_CLOSE, fd, userData);
    }
}
