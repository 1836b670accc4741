package io.iocp4j.uring;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.Errno;
import io.iocp4j.spi.SendableFile;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A connected socket on an io_uring port. Its receive is multishot, taking a ring buffer only when bytes arrive;
 * its writes are one SEND, or one SENDMSG gathering several buffers; a file goes out through a pipe with splices
 * ({@link SpliceWriter}). Every operation it submits counts until its
 * last completion, and the socket leaves the port's registrations only when none is left, so no completion can
 * reach whatever takes its slot next.
 *
 * <p>Port thread only, as the SPI says.
 */
final class UringSocket implements TransportSocket, Registrations.Owner {
    /** {@code struct msghdr} (56 bytes) followed by its {@code struct iovec} array (16 bytes each). */
    private static final int MSGHDR_BYTES = 56;
    private static final int IOVEC_BYTES = 16;

    private enum Receive { IDLE, ARMED, STARVED }

    private final UringPort port;
    private final int fd;
    /**
     * The user data of this socket's operations (its slot in the port's registrations and the slot's generation)
     * with no operation code in it; see {@link #ownUserData}.
     */
    private final long baseUserData;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;

    private Receive receive = Receive.IDLE;
    private boolean receiveCancelled;
    private long receiveCompletion;
    /** The bytes coming are a bulk stream: receives take the port's large buffers while it has some. */
    private boolean bulk;
    /** The receive in flight takes its buffers from the bulk ring. */
    private boolean armedBulk;

    private boolean writing;
    private ByteBuffer[] sources;
    private int sourcesOffset;
    private int sourcesLength;
    private IoBuffer messageHeader;
    private long writeCompletion;

    /** Made with the first file write. */
    private SpliceWriter splicer;

    private boolean closing;
    /**
     * The close waits for a file write's chain: an entry linked after another takes its descriptor only when it
     * starts, so the socket's descriptor must not be closed (and perhaps reused) before the whole chain is over.
     */
    private boolean closeAfterSplice;
    private boolean closed;
    private long closeCompletion;
    /** Operations submitted whose last completion has not arrived. */
    private int inFlight;
    /** Of those, cancels: a cancel's own completion may come after that of the receive it ended. */
    private int cancelsInFlight;
    /** Handed to another port: nothing more is submitted here, and the slot goes once the last cancel is in. */
    private boolean handedOff;
    private boolean slotReleased;

    /** A socket's descriptor and addresses between two ports; a ring holds nothing of it meanwhile. */
    private record Handoff(int fd, InetSocketAddress localAddress, InetSocketAddress remoteAddress)
            implements SocketHandoff {
        @Override
        public void closeUnadopted() {
            LibC.close(fd);
        }
    }

    private UringSocket(UringPort port, int fd, InetSocketAddress localAddress, InetSocketAddress remoteAddress) {
        this.port = port;
        this.fd = fd;
        Registrations registrations = port.registrations();
        this.baseUserData = registrations.userData(registrations.register(this), 0);
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    /** Port thread: a socket the port accepted or connected; takes ownership of {@code fd}. */
    static UringSocket adopt(UringPort port, int fd, InetSocketAddress remoteAddress) {
        Sockets.setNoDelay(port, fd);
        return new UringSocket(port, fd, Sockets.localAddress(port, fd),
                remoteAddress != null ? remoteAddress : Sockets.remoteAddress(port, fd));
    }

    /**
     * Port thread: a socket another port handed off. A descriptor is not tied to a ring, so the new port simply
     * submits its operations from now on.
     */
    static UringSocket adopt(UringPort port, SocketHandoff handoff) {
        if (!(handoff instanceof Handoff moved)) {
            throw new IllegalArgumentException("not an io_uring socket: " + handoff);
        }
        return new UringSocket(port, moved.fd(), moved.localAddress(), moved.remoteAddress());
    }

    /** The user data of this socket's operation {@code op}: the operation code is its lowest byte. */
    private long ownUserData(int op) {
        return baseUserData | op;
    }

    @Override
    public SocketHandoff handOff() {
        // A cancel still to complete is no obstacle: what it cancelled has ended, and its completion only counts.
        if (inFlight != cancelsInFlight || receive != Receive.IDLE || writing || closing) {
            throw new IllegalStateException("cannot hand off " + this + " with " + inFlight
                    + " operations in flight (receive " + receive + ", writing " + writing + ", closing " + closing + ")");
        }
        closing = true;
        handedOff = true;
        releaseSlotWhenDone();
        return new Handoff(fd, localAddress, remoteAddress);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void receive(long userData) {
        receiveCompletion = userData;
        if (closing) {
            port.execute(() -> port.sink().complete(userData, -Errno.ECANCELED, 0, null));
            return;
        }
        armReceive();
    }

    /** The ring the next receive takes its buffers from. */
    BufferRing receiveRing() {
        return bulk && port.bulkBuffers() != null ? port.bulkBuffers() : port.buffers();
    }

    private void armReceive() {
        boolean fromBulkRing = receiveRing() != port.buffers();
        receive = Receive.ARMED;
        receiveCancelled = false;
        armedBulk = fromBulkRing;
        inFlight++;
        if (fromBulkRing) {
            port.submissions().recvMultishot(fd, port.bulkBuffers().group(), ownUserData(PortOps.RECV_BULK));
        } else {
            port.submissions().recvMultishot(fd, port.buffers().group(), ownUserData(PortOps.RECV));
        }
    }

    /**
     * A receive armed on the other ring is cancelled: its last completion reaches the connection, which receives
     * again, now from the ring asked for.
     */
    @Override
    public void receiveInBulk(boolean bulk) {
        this.bulk = bulk;
        boolean wanted = bulk && port.bulkBuffers() != null;
        if (receive == Receive.ARMED && armedBulk != wanted && !receiveCancelled && !closing) {
            receiveCancelled = true;
            inFlight++;
            cancelsInFlight++;
            port.submissions().cancel(armedBulk ? ownUserData(PortOps.RECV_BULK) : ownUserData(PortOps.RECV), ownUserData(PortOps.CANCEL));
        }
    }

    /** The ring has buffers again after this socket's receive ran out. */
    void resumeReceive() {
        if (receive == Receive.STARVED && !closing) {
            armReceive();
        }
    }

    @Override
    public void cancelReceive() {
        if (receive == Receive.ARMED && !receiveCancelled) {
            receiveCancelled = true;
            inFlight++;
            cancelsInFlight++;
            port.submissions().cancel(armedBulk ? ownUserData(PortOps.RECV_BULK) : ownUserData(PortOps.RECV), ownUserData(PortOps.CANCEL));
        } else if (receive == Receive.STARVED) {
            endStarvedReceive();
        }
    }

    /** A receive waiting for buffers is not in the kernel: it ends here, as a cancelled one would. */
    private void endStarvedReceive() {
        port.notStarved(this);
        receive = Receive.IDLE;
        long userData = receiveCompletion;
        port.execute(() -> port.sink().complete(userData, -Errno.ECANCELED, 0, null));
    }

    @Override
    public void write(ByteBuffer[] sources, int offset, int length, long userData) {
        if (writing) {
            throw new IllegalStateException("a second write while one is in flight on " + this);
        }
        writeCompletion = userData;
        if (closing) {
            port.execute(() -> port.sink().complete(userData, -Errno.ECANCELED, 0, null));
            return;
        }
        writing = true;
        inFlight++;
        this.sources = sources;
        this.sourcesOffset = offset;
        this.sourcesLength = length;
        if (length == 1) {
            ByteBuffer only = sources[offset];
            port.submissions().send(fd, MemorySegment.ofBuffer(only).address(), only.remaining(),
                    LibC.MSG_NOSIGNAL, ownUserData(PortOps.SEND));
            return;
        }
        messageHeader = port.pool().lease(MSGHDR_BYTES + IOVEC_BYTES * length);
        MemorySegment header = messageHeader.segment();
        long iovecs = header.address() + MSGHDR_BYTES;
        header.asSlice(0, MSGHDR_BYTES).fill((byte) 0);
        header.set(JAVA_LONG, 16, iovecs);
        header.set(JAVA_LONG, 24, length);
        for (int i = 0; i < length; i++) {
            ByteBuffer source = sources[offset + i];
            long entry = MSGHDR_BYTES + (long) IOVEC_BYTES * i;
            header.set(JAVA_LONG, entry, MemorySegment.ofBuffer(source).address());
            header.set(JAVA_LONG, entry + 8, source.remaining());
        }
        port.submissions().sendmsg(fd, header.address(), LibC.MSG_NOSIGNAL, ownUserData(PortOps.SEND));
    }

    @Override
    public void writeFile(SendableFile file, long position, long length, long userData) {
        if (!(file instanceof PipedFile piped)) {
            throw new IllegalArgumentException("file=" + file + " was not opened by an io_uring port");
        }
        if (closing) {
            port.execute(() -> port.sink().complete(userData, -Errno.ECANCELED, 0, null));
            return;
        }
        if (splicer == null) {
            splicer = new SpliceWriter(port, fd, ownUserData(PortOps.SPLICE_IN), ownUserData(PortOps.SPLICE_POLL),
                    ownUserData(PortOps.SPLICE_OUT));
        }
        inFlight += splicer.start(piped, position, length, userData);
    }

    @Override
    public void shutdownOutput() {
        if (!closing) {
            LibC.shutdown(fd, LibC.SHUT_WR);
        }
    }

    @Override
    public void close(long userData) {
        if (closing) {
            throw new IllegalStateException("socket closed twice: " + this);
        }
        closing = true;
        closeCompletion = userData;
        if (receive == Receive.STARVED) {
            endStarvedReceive();
        }
        if (splicer != null && splicer.busy()) {
            // Ends a chain waiting for the peer to read (and the receive): the close follows the chain's end.
            LibC.shutdown(fd, LibC.SHUT_RDWR);
            closeAfterSplice = true;
            return;
        }
        cancelAllThenClose();
    }

    private void cancelAllThenClose() {
        // Closing the descriptor does not end a receive in flight; cancelling does.
        inFlight += 2;
        cancelsInFlight++;
        port.submissions().cancelAllThenClose(fd, ownUserData(PortOps.CANCEL), ownUserData(PortOps.CLOSE));
    }

    @Override
    public void complete(int op, int result, int flags) {
        boolean more = (flags & Cqe.IORING_CQE_F_MORE) != 0;
        if (!more) {
            inFlight--;
        }
        switch (op) {
            case PortOps.RECV, PortOps.RECV_BULK -> received(result, flags, more);
            case PortOps.SEND -> written(result);
            case PortOps.CLOSE -> {
                closed = true;
                port.sink().complete(closeCompletion, 0, 0, null);
            }
            case PortOps.CANCEL -> {
                // Its own result does not matter: the cancelled operation completes by itself.
                cancelsInFlight--;
            }
            case PortOps.SPLICE_IN, PortOps.SPLICE_POLL, PortOps.SPLICE_OUT -> {
                inFlight += splicer.complete(op, result, closing);
                if (closeAfterSplice && !splicer.busy()) {
                    closeAfterSplice = false;
                    cancelAllThenClose();
                }
            }
            default -> throw new IllegalArgumentException("op=" + op);
        }
        releaseSlotWhenDone();
    }

    /** Once closed or handed off, and the last completion is in, no completion can reach whoever takes the slot. */
    private void releaseSlotWhenDone() {
        if ((closed || handedOff) && inFlight == 0 && !slotReleased) {
            slotReleased = true;
            port.registrations().unregister(UserData.slot(baseUserData));
        }
    }

    private void received(int result, int flags, boolean more) {
        if (!more) {
            receive = Receive.IDLE;
        }
        if (result > 0) {
            IoBuffer buffer = (armedBulk ? port.bulkBuffers() : port.buffers()).take(Cqe.bufferId(flags), result);
            port.sink().complete(receiveCompletion, result, more ? UserData.F_MORE : 0, buffer);
        } else if (result == -Errno.ENOBUFS && !closing && !receiveCancelled) {
            // The ring ran dry; the bytes wait in the socket until buffers come back and the receive is re-armed.
            receive = Receive.STARVED;
            port.starved(this);
        } else {
            port.sink().complete(receiveCompletion, result == -Errno.ENOBUFS ? -Errno.ECANCELED : result, 0, null);
        }
    }

    private void written(int result) {
        writing = false;
        if (result > 0) {
            advance(result);
        }
        if (messageHeader != null) {
            messageHeader.release();
            messageHeader = null;
        }
        ByteBuffer[] done = sources;
        sources = null;
        if (done == null) {
            throw new IllegalStateException("write completion without a write: " + this);
        }
        port.sink().complete(writeCompletion, result, 0, null);
    }

    private void advance(int written) {
        int left = written;
        for (int i = sourcesOffset; i < sourcesOffset + sourcesLength && left > 0; i++) {
            ByteBuffer source = sources[i];
            int taken = Math.min(left, source.remaining());
            source.position(source.position() + taken);
            left -= taken;
        }
    }

    boolean isWriting() {
        return writing;
    }

    @Override
    public String toString() {
        return "UringSocket[fd=" + fd + ", " + localAddress + " -> " + remoteAddress + "]";
    }
}
