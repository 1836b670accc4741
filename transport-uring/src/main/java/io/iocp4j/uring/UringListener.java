package io.iocp4j.uring;

import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.Listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening socket with one multishot accept in flight: each connection is one completion, with no
 * resubmission between them. If accepting fails (out of descriptors), the accept ends and is re-armed after a
 * pause instead of spinning. Closing cancels the accept; the listener reports itself closed once the accept's
 * last completion has arrived.
 */
final class UringListener implements Listener, Registrations.Owner {
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int ACCEPT_FLAGS = LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;

    private final UringPort port;
    private final int fd;
    private final AcceptHandler handler;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    /**
     * Held while {@link #close()} shuts the socket down from the caller's thread and while the port thread closes
     * the descriptor, so that the shutdown never reaches a descriptor already closed (and perhaps reused).
     */
    private final Object descriptorLock = new Object();
    // Port thread only.
    private int slot = -1;
    private long acceptUserData;
    private long cancelUserData;
    private boolean accepting;
    private int inFlight;
    private boolean closeReported;

    private UringListener(UringPort port, int fd, AcceptHandler handler, InetSocketAddress localAddress) {
        this.port = port;
        this.fd = fd;
        this.handler = handler;
        this.localAddress = localAddress;
    }

    static UringListener open(UringPort port, InetSocketAddress address, int backlog, boolean reusePort,
                              AcceptHandler handler) throws IOException {
        int fd = Sockets.listen(address, backlog, reusePort);
        InetSocketAddress bound = Sockets.boundAddress(fd);
        UringListener listener = new UringListener(port, fd, handler, bound != null ? bound : address);
        port.execute(listener::start);
        return listener;
    }

    private void start() {
        slot = port.registrations().register(this);
        acceptUserData = port.registrations().userData(slot, PortOps.ACCEPT);
        cancelUserData = port.registrations().userData(slot, PortOps.CANCEL);
        armAccept();
    }

    private void armAccept() {
        if (closeRequested.get()) {
            finishCloseWhenIdle();
            return;
        }
        accepting = true;
        inFlight++;
        port.submissions().acceptMultishot(fd, ACCEPT_FLAGS, acceptUserData);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Shuts the listening socket down at once, on the caller's thread: it leaves its SO_REUSEPORT group now, so the
     * kernel hands new connections to the other listeners on the address (another server's) instead of to this one
     * until the port thread gets round to the close. The accept in flight then ends; the descriptor is closed on the
     * port thread once its last completion is in.
     */
    @Override
    public void close() {
        synchronized (descriptorLock) {
            if (!closeRequested.compareAndSet(false, true)) {
                return;
            }
            LibC.shutdown(fd, LibC.SHUT_RDWR);
        }
        port.execute(this::closeOnPort);
    }

    private void closeOnPort() {
        if (accepting) {
            inFlight++;
            port.submissions().cancel(acceptUserData, cancelUserData);
        } else {
            finishCloseWhenIdle();
        }
    }

    @Override
    public void complete(int op, int result, int flags) {
        boolean more = (flags & Cqe.IORING_CQE_F_MORE) != 0;
        if (!more) {
            inFlight--;
        }
        if (op == PortOps.ACCEPT) {
            accepted(result, more);
        }
        finishCloseWhenIdle();
    }

    private void accepted(int result, boolean more) {
        if (!more) {
            accepting = false;
        }
        if (result >= 0) {
            if (closeRequested.get()) {
                LibC.close(result);
            } else {
                handler.onAccept(UringSocket.adopt(port, result, null));
            }
        } else if (result != -Errno.ECANCELED && !closeRequested.get()) {
            handler.onAcceptFailed(Errnos.exception("accept", -result), true);
        }
        if (!more && !closeRequested.get()) {
            if (result >= 0 || result == -Errno.ECANCELED) {
                armAccept();
            } else {
                port.schedule(RETRY_PAUSE_NANOS, this::armAccept);
            }
        }
    }

    private void finishCloseWhenIdle() {
        if (!closeRequested.get() || accepting || inFlight > 0 || closeReported) {
            return;
        }
        closeReported = true;
        synchronized (descriptorLock) {
            LibC.close(fd);
        }
        if (slot >= 0) {
            port.registrations().unregister(slot);
        }
        handler.onListenerClosed();
    }
}
