package io.iocp4j.uring;

/**
 * {@code struct io_uring_sqe}, 64 bytes; unions named by the member this transport uses:
 * <pre>
 *   0 u8  opcode          1 u8 flags        2 u16 ioprio        4 s32 fd
 *   8 u64 off | addr2
 *  16 u64 addr | splice_off_in
 *  24 u32 len
 *  28 u32 rw_flags | msg_flags | accept_flags | cancel_flags | timeout_flags | poll32_events | splice_flags
 *  32 u64 user_data
 *  40 u16 buf_group       42 u16 personality                    44 s32 file_index | splice_fd_in
 *  48 u64 addr3           56 u64 pad
 * </pre>
 */
final class Sqe {
    static final int BYTES = 64;
    static final long OPCODE = 0;
    static final long FLAGS = 1;
    static final long IOPRIO = 2;
    static final long FD = 4;
    static final long OFF = 8;
    static final long ADDR = 16;
    static final long LEN = 24;
    static final long OP_FLAGS = 28;
    static final long USER_DATA = 32;
    static final long BUF_GROUP = 40;
    static final long SPLICE_FD_IN = 44;

    // enum io_uring_op (only the ones used or probed for)
    static final byte IORING_OP_NOP = 0;
    static final byte IORING_OP_POLL_ADD = 6;
    static final byte IORING_OP_SENDMSG = 9;
    static final byte IORING_OP_ACCEPT = 13;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final byte IORING_OP_CONNECT = 16;
    static final byte IORING_OP_CLOSE = 19;
    static final byte IORING_OP_READ = 22;
    static final byte IORING_OP_SEND = 26;
    static final byte IORING_OP_RECV = 27;
    static final byte IORING_OP_SPLICE = 30;

    /** sqe->poll32_events: the socket can take more bytes. */
    static final int POLLOUT = 0x4;
    /** An offset of -1: the file's own position (a pipe or a socket has none). */
    static final long NO_OFFSET = -1L;

    // sqe->flags
    static final byte IOSQE_IO_LINK = 1 << 2;
    static final byte IOSQE_IO_HARDLINK = 1 << 3;
    static final byte IOSQE_BUFFER_SELECT = 1 << 5;

    // sqe->ioprio for send and receive
    static final short IORING_RECV_MULTISHOT = 1 << 1;
    // sqe->ioprio for accept
    static final short IORING_ACCEPT_MULTISHOT = 1;

    // sqe->cancel_flags
    static final int IORING_ASYNC_CANCEL_ALL = 1;
    static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

    private Sqe() {
    }
}
