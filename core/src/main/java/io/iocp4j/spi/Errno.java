package io.iocp4j.spi;

/** The errno values completions report (as negative results), numbered as on Linux. */
public final class Errno {
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENOBUFS = 105;
    public static final int ECONNRESET = 104;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int ECANCELED = 125;

    private Errno() {
    }

    public static String name(int errno) {
        return switch (Math.abs(errno)) {
            case EIO -> "EIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EINVAL -> "EINVAL";
            case EPIPE -> "EPIPE";
            case ENOBUFS -> "ENOBUFS";
            case ECONNRESET -> "ECONNRESET";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case ECANCELED -> "ECANCELED";
            default -> "errno " + Math.abs(errno);
        };
    }
}
