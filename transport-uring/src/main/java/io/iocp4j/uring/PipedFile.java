package io.iocp4j.uring;

import io.iocp4j.spi.SendableFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A file opened for splicing to a socket, with the pipe of its own that the bytes pass through (a splice needs a
 * pipe at one end). One transfer owns it, so nothing else ever shares the pipe. It tracks what the pipe holds: bytes
 * taken from the file that the socket has not taken yet, which must go out before any others.
 *
 * <p>Opened on any thread; used and closed on the port thread of the socket writing from it.
 */
final class PipedFile implements SendableFile {
    /** What the pipe is asked to hold: one splice moves at most this much. Linux lets anyone ask for up to 1 MiB. */
    static final int PIPE_BYTES = 1 << 20;

    private final int file;
    private final int pipeRead;
    private final int pipeWrite;
    private final int pipeSize;
    /** Bytes in the pipe, and the file position of the first of them. */
    private int held;
    private long heldFrom;
    private boolean closed;

    private PipedFile(int file, int pipeRead, int pipeWrite, int pipeSize) {
        this.file = file;
        this.pipeRead = pipeRead;
        this.pipeWrite = pipeWrite;
        this.pipeSize = pipeSize;
    }

    /** Opens {@code path} read-only (refusing a link as its last element unless {@code followLinks}) and a pipe. */
    static PipedFile open(Path path, boolean followLinks) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = LibC.newErrnoState(arena);
            int flags = LibC.O_RDONLY | LibC.O_CLOEXEC | (followLinks ? 0 : LibC.O_NOFOLLOW);
            int file = LibC.open(errno, arena.allocateFrom(path.toString()), flags);
            if (file < 0) {
                throw Errnos.exception("open(" + path + ")", LibC.errno(errno));
            }
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if (LibC.pipe2(errno, fds, LibC.O_CLOEXEC) < 0) {
                int error = LibC.errno(errno);
                LibC.close(file);
                throw Errnos.exception("pipe2", error);
            }
            int pipeRead = fds.getAtIndex(JAVA_INT, 0);
            int pipeWrite = fds.getAtIndex(JAVA_INT, 1);
            // Larger pipes mean fewer splices per file; when the per-user pipe budget is spent, the default size
            // (64 KiB) still works, only with more steps.
            int size = LibC.fcntl(errno, pipeWrite, LibC.F_SETPIPE_SZ, PIPE_BYTES);
            if (size < 0) {
                size = LibC.fcntl(errno, pipeWrite, LibC.F_GETPIPE_SZ, 0);
            }
            if (size <= 0) {
                int error = LibC.errno(errno);
                LibC.close(file);
                LibC.close(pipeRead);
                LibC.close(pipeWrite);
                throw Errnos.exception("fcntl(F_GETPIPE_SZ)", error);
            }
            return new PipedFile(file, pipeRead, pipeWrite, size);
        }
    }

    int file() {
        return file;
    }

    int pipeRead() {
        return pipeRead;
    }

    int pipeWrite() {
        return pipeWrite;
    }

    /** The most one splice into the (empty) pipe may move. */
    int pipeSize() {
        return pipeSize;
    }

    int held() {
        return held;
    }

    long heldFrom() {
        return heldFrom;
    }

    /** An empty pipe is about to be filled from {@code position}. */
    void fillFrom(long position) {
        if (held != 0) {
            throw new IllegalStateException("pipe still holds " + held + " bytes");
        }
        heldFrom = position;
    }

    /** The file put {@code bytes} into the pipe. */
    void filled(int bytes) {
        held += bytes;
    }

    /** The socket took {@code bytes} from the pipe. */
    void drained(int bytes) {
        if (bytes > held) {
            throw new IllegalStateException("drained=" + bytes + " held=" + held);
        }
        held -= bytes;
        heldFrom += bytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(file);
        LibC.close(pipeRead);
        LibC.close(pipeWrite);
    }

    @Override
    public String toString() {
        return "PipedFile[fd=" + file + ", pipe=" + pipeRead + "/" + pipeWrite + " of " + pipeSize + " bytes, held="
                + held + "]";
    }
}
