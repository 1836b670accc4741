package io.iocp4j.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One completion port and the I/O thread that owns it. Socket completions go to the port's
 * {@link CompletionSink}; accept and connect results to the handler given with the call. Everything a port
 * calls back runs on its thread.
 */
public interface CompletionPort {
    /** True when the caller is this port's I/O thread. */
    boolean inPortThread();

    /**
     * Runs {@code task} on the port thread: from another thread, as soon as the port wakes; from the port thread
     * itself, after the completion being handled now. Tasks run in the order they were given. This is the
     * {@code PostQueuedCompletionStatus} of the port.
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the port thread once {@code delayNanos} have passed (or soon after). Timers are
     * coarse: they are meant for idle and stall deadlines swept now and then, not for one timer per packet.
     */
    ScheduledTask schedule(long delayNanos, Runnable task);

    /**
     * Receive buffers this port has lent out or holds in reads waiting for bytes. On a transport with provided
     * buffers, an idle connection holds none.
     */
    int receiveBuffersHeld();

    /**
     * Completions the port itself dropped because they belonged to a socket that had already left (its slot had
     * a new generation). Counted, never applied.
     */
    default long staleCompletions() {
        return 0;
    }

    /**
     * Opens {@code path} for {@link TransportSocket#writeFile} by this port's sockets, or returns null when this
     * transport has no kernel-side path from a file to a socket (the caller then streams the file through ordinary
     * writes). Any thread; it may block, so not the port thread.
     *
     * @param followLinks false to refuse a symbolic link as the last element of the path
     */
    default SendableFile openSendable(Path path, boolean followLinks) throws IOException {
        return null;
    }

    /** Starts accepting on {@code address}; every accepted socket goes to {@code handler} on this port's thread. */
    Listener listen(InetSocketAddress address, int backlog, boolean reusePort, AcceptHandler handler)
            throws IOException;

    /**
     * Port thread: makes a socket that another port of the same transport {@linkplain TransportSocket#handOff()
     * handed off} one of this port's. Its operations from now on are submitted here and complete on this thread.
     */
    TransportSocket adopt(SocketHandoff handoff);

    /** Connects to {@code remote}; the outcome goes to {@code handler} on this port's thread. */
    void connect(InetSocketAddress remote, ConnectHandler handler);

    /**
     * Stops the port thread once its queued tasks have run. Sockets must be closed and their completions
     * delivered before this is called.
     */
    void shutdown();

    /** Waits for the port thread to end; true when it did within {@code timeout}. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
}
