package io.iocp4j.uring;

/**
 * {@code struct io_uring_cqe}, 16 bytes:
 * <pre>
 *   0 u64 user_data
 *   8 s32 res
 *  12 u32 flags      (the selected buffer's id in the upper 16 bits when IORING_CQE_F_BUFFER is set)
 * </pre>
 */
final class Cqe {
    static final int BYTES = 16;
    static final long USER_DATA = 0;
    static final long RES = 8;
    static final long FLAGS = 12;

    static final int IORING_CQE_F_BUFFER = 1;
    static final int IORING_CQE_F_MORE = 1 << 1;
    static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    static final int IORING_CQE_F_NOTIF = 1 << 3;
    static final int IORING_CQE_BUFFER_SHIFT = 16;

    private Cqe() {
    }

    static int bufferId(int flags) {
        return flags >>> IORING_CQE_BUFFER_SHIFT;
    }
}
