package io.iocp4j.uring;

/** The operation codes in the low byte of the port's user data. */
final class PortOps {
    static final int RECV = 1;
    static final int SEND = 2;
    static final int CLOSE = 3;
    static final int CANCEL = 4;
    static final int ACCEPT = 5;
    static final int CONNECT = 6;
    /** The read on the port's eventfd, which completes when another thread wakes the port. */
    static final int WAKE = 7;
    /** The three steps of a kernel-side file write: file to pipe, wait for the socket, pipe to socket. */
    static final int SPLICE_IN = 8;
    static final int SPLICE_POLL = 9;
    static final int SPLICE_OUT = 10;
    /** A receive taking its buffers from the port's ring of bulk buffers. */
    static final int RECV_BULK = 11;

    private PortOps() {
    }
}
