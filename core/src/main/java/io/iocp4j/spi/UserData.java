package io.iocp4j.spi;

/**
 * The 64 bits carried by every operation and echoed by its completion:
 * <pre>
 *  63                    32 31            8 7        0
 * +------------------------+---------------+----------+
 * |          slot          |  generation   |    op    |
 * +------------------------+---------------+----------+
 * </pre>
 * The generation tells a completion for a slot's earlier tenant from one for its current tenant.
 */
public final class UserData {
    public static final int OP_RECEIVE = 1;
    public static final int OP_WRITE = 2;
    public static final int OP_CLOSE = 3;

    /** Completion flag: the operation stays in flight and will complete again. */
    public static final int F_MORE = 1;

    public static final int GENERATION_MASK = 0xFF_FFFF;

    /** For an operation on a socket that never became a connection: its completion is dropped quietly. */
    public static final long UNTRACKED = -1L;

    private UserData() {
    }

    public static long pack(int slot, int generation, int op) {
        return ((long) slot << 32) | ((long) (generation & GENERATION_MASK) << 8) | (op & 0xFF);
    }

    public static int slot(long userData) {
        return (int) (userData >>> 32);
    }

    public static int generation(long userData) {
        return (int) (userData >>> 8) & GENERATION_MASK;
    }

    public static int op(long userData) {
        return (int) userData & 0xFF;
    }

    public static String opName(int op) {
        return switch (op) {
            case OP_RECEIVE -> "receive";
            case OP_WRITE -> "write";
            case OP_CLOSE -> "close";
            default -> "op" + op;
        };
    }
}
