package io.iocp4j.uring;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/** Linux errno values by name, and the exceptions that report them. */
final class Errnos {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int EOPNOTSUPP = 95;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOBUFS = 105;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int ECANCELED = 125;

    private Errnos() {
    }

    static String name(int errno) {
        return switch (Math.abs(errno)) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case EPIPE -> "EPIPE";
            case ENOSYS -> "ENOSYS";
            case ETIME -> "ETIME";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETUNREACH -> "ENETUNREACH";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case ENOBUFS -> "ENOBUFS";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case EALREADY -> "EALREADY";
            case ECANCELED -> "ECANCELED";
            default -> "errno " + Math.abs(errno);
        };
    }

    static String description(int errno) {
        return switch (Math.abs(errno)) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such entry";
            case EINTR -> "interrupted";
            case EBADF -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "out of memory";
            case EACCES -> "permission denied";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "already exists";
            case EINVAL -> "invalid argument";
            case ENFILE -> "too many open files in system";
            case EMFILE -> "too many open files";
            case EPIPE -> "broken pipe";
            case ENOSYS -> "function not implemented";
            case ETIME -> "timer expired";
            case EOPNOTSUPP -> "operation not supported";
            case EADDRINUSE -> "address already in use";
            case EADDRNOTAVAIL -> "cannot assign requested address";
            case ENETUNREACH -> "network is unreachable";
            case ECONNABORTED -> "connection aborted";
            case ECONNRESET -> "connection reset by peer";
            case ENOBUFS -> "no buffer space available";
            case ETIMEDOUT -> "connection timed out";
            case ECONNREFUSED -> "connection refused";
            case EHOSTUNREACH -> "no route to host";
            case EALREADY -> "operation already in progress";
            case ECANCELED -> "operation canceled";
            default -> "unknown error";
        };
    }

    /**
     * The exception for {@code call} failing with {@code errno}; the JDK's own subclasses where one exists, with
     * the message the JDK would give ("Address already in use"), so callers see the same words on every
     * transport.
     */
    static IOException exception(String call, int errno) {
        int code = Math.abs(errno);
        String text = description(code);
        String capitalized = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return switch (code) {
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> call.equals("bind")
                    ? new BindException(capitalized)
                    : new IOException(message(call, code));
            case ECONNREFUSED, ETIMEDOUT -> new ConnectException(capitalized);
            case EHOSTUNREACH, ENETUNREACH -> new NoRouteToHostException(capitalized);
            default -> new IOException(message(call, code));
        };
    }

    static String message(String call, int errno) {
        return call + " failed: " + name(errno) + " (" + description(errno) + ")";
    }
}
