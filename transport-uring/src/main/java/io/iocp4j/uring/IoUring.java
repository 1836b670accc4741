package io.iocp4j.uring;

/** Constants of {@code io_uring_setup}, {@code io_uring_enter} and {@code io_uring_register}, named as in the kernel. */
final class IoUring {
    // io_uring_setup flags
    static final int IORING_SETUP_CQSIZE = 1 << 3;
    static final int IORING_SETUP_CLAMP = 1 << 4;
    static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

    // features reported by io_uring_setup
    static final int IORING_FEAT_SINGLE_MMAP = 1;
    static final int IORING_FEAT_NODROP = 1 << 1;
    static final int IORING_FEAT_FAST_POLL = 1 << 5;
    static final int IORING_FEAT_EXT_ARG = 1 << 8;

    // io_uring_enter flags
    static final int IORING_ENTER_GETEVENTS = 1;
    static final int IORING_ENTER_EXT_ARG = 1 << 3;

    // sq ring flags, written by the kernel
    static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;

    // mmap offsets
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;

    // io_uring_register opcodes
    static final int IORING_REGISTER_PROBE = 8;
    static final int IORING_REGISTER_PBUF_RING = 22;
    static final int IORING_UNREGISTER_PBUF_RING = 23;

    /** {@code struct io_uring_probe_op}: flags bit saying the opcode is supported. */
    static final int IO_URING_OP_SUPPORTED = 1;

    private IoUring() {
    }
}
