package io.iocp4j.buffer;

/**
 * A lease that could not be had: the memory for it ran out. It ends the work that asked for it (one connection),
 * never the thread that asked: an I/O thread catches it, closes that connection and goes on serving the others.
 */
public final class BufferAllocationException extends RuntimeException {
    private final int requested;

    public BufferAllocationException(int requested, Throwable cause) {
        super("no memory for a buffer of " + requested + " bytes", cause, false, false);
        this.requested = requested;
    }

    /** The bytes the failed lease asked for. */
    public int requested() {
        return requested;
    }
}
