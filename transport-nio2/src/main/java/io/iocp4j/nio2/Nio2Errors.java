package io.iocp4j.nio2;

import io.iocp4j.spi.Errno;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.Locale;

/** NIO.2 reports failures as exceptions; completions carry errno values. */
final class Nio2Errors {
    private Nio2Errors() {
    }

    /** The negative errno a completion reports for {@code failure}. */
    static int result(Throwable failure) {
        return -errno(failure);
    }

    private static int errno(Throwable failure) {
        if (failure instanceof AsynchronousCloseException || failure instanceof ClosedChannelException
                || failure instanceof ShutdownChannelGroupException) {
            return Errno.ECANCELED;
        }
        if (failure instanceof InterruptedByTimeoutException) {
            return Errno.ETIMEDOUT;
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("reset")) {
            return Errno.ECONNRESET;
        }
        if (message.contains("broken pipe")) {
            return Errno.EPIPE;
        }
        if (message.contains("refused")) {
            return Errno.ECONNREFUSED;
        }
        if (message.contains("timed out")) {
            return Errno.ETIMEDOUT;
        }
        return Errno.EIO;
    }

    static IOException asIOException(Throwable failure) {
        return failure instanceof IOException io ? io : new IOException(failure);
    }
}
