package io.iocp4j.uring;

import io.iocp4j.spi.Errno;

/**
 * One socket's kernel-side file writes: file to pipe, wait until the socket can take bytes, pipe to socket, as one
 * linked chain of three entries; or, when the pipe still holds bytes from an earlier round, only the last two. A
 * round that moved no byte to the socket (the file step came up short and cut the chain, or the socket was full)
 * is followed by another, so a write completes once, with at least one byte, an error, or -ECANCELED when its
 * socket closes.
 *
 * <p>Each entry submitted ends in exactly one completion; {@link #busy()} is true until the last one of the round
 * in flight has arrived. Port thread only.
 */
final class SpliceWriter {
    private final UringPort port;
    private final int socket;
    private final long inUserData;
    private final long pollUserData;
    private final long outUserData;

    private PipedFile file;
    private long position;
    private long length;
    private long completion;
    /** Bytes of this write that reached the socket so far. */
    private long moved;

    // The round in flight.
    private int pending;
    private boolean filling;
    private int inResult;
    private int pollResult;
    private int outResult;

    SpliceWriter(UringPort port, int socket, long inUserData, long pollUserData, long outUserData) {
        this.port = port;
        this.socket = socket;
        this.inUserData = inUserData;
        this.pollUserData = pollUserData;
        this.outUserData = outUserData;
    }

    boolean busy() {
        return pending > 0;
    }

    /** Starts writing {@code [position, position + length)} of {@code file}; returns the entries submitted. */
    int start(PipedFile file, long position, long length, long completion) {
        if (busy()) {
            throw new IllegalStateException("a file write is already in flight");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length=" + length);
        }
        if (file.held() > 0 && file.heldFrom() != position) {
            throw new IllegalArgumentException("position=" + position + " but the pipe holds bytes from "
                    + file.heldFrom());
        }
        this.file = file;
        this.position = position;
        this.length = length;
        this.completion = completion;
        this.moved = 0;
        return submitRound();
    }

    private int submitRound() {
        inResult = 0;
        pollResult = 0;
        outResult = 0;
        if (file.held() > 0) {
            filling = false;
            pending = 2;
            port.submissions().pollThenSplice(file.pipeRead(), socket, file.held(), pollUserData, outUserData);
        } else {
            filling = true;
            pending = 3;
            int chunk = (int) Math.min(file.pipeSize(), length - moved);
            file.fillFrom(position + moved);
            port.submissions().spliceThroughPipe(file.file(), position + moved, file.pipeWrite(), file.pipeRead(),
                    socket, chunk, inUserData, pollUserData, outUserData);
        }
        return pending;
    }

    /**
     * One completion of the round in flight. Returns the entries submitted for a next round (0 when none); once the
     * write is over, its result has gone to the port's sink.
     */
    int complete(int op, int result, boolean closing) {
        switch (op) {
            case PortOps.SPLICE_IN -> inResult = result;
            case PortOps.SPLICE_POLL -> pollResult = result;
            case PortOps.SPLICE_OUT -> outResult = result;
            default -> throw new IllegalArgumentException("op=" + op);
        }
        if (--pending > 0) {
            return 0;
        }
        int error = 0;
        if (filling) {
            if (inResult > 0) {
                file.filled(inResult);
            } else {
                // Nothing came from the file: it ended before the bytes asked for, or could not be read.
                error = inResult == 0 ? -Errno.EIO : inResult;
            }
        }
        if (outResult > 0) {
            file.drained(outResult);
            moved += outResult;
        } else if (outResult != -Errno.ECANCELED && outResult != -Errnos.EAGAIN && error == 0) {
            // A socket error; -ECANCELED means an earlier step cut the chain, -EAGAIN that the socket filled up
            // again between the poll and the splice.
            error = outResult == 0 ? -Errno.EPIPE : outResult;
        }
        if (pollResult < 0 && pollResult != -Errno.ECANCELED && error == 0) {
            error = pollResult;
        }
        if (moved > 0) {
            // At most one pipe's worth: the write ends with the first round that reached the socket.
            finish((int) moved);
        } else if (error != 0) {
            finish(error);
        } else if (closing) {
            finish(-Errno.ECANCELED);
        } else {
            return submitRound();
        }
        return 0;
    }

    private void finish(int result) {
        file = null;
        port.sink().complete(completion, result, 0, null);
    }
}
