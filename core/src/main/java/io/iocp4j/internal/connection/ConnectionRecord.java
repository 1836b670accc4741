package io.iocp4j.internal.connection;

import io.iocp4j.Attributes;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.net.InetSocketAddress;

/**
 * What is known and counted of a connection: its id and addresses, its user's state, when it began, the bytes it
 * moved, its slot and generation in the connection table, and whether it counts against the server's admission
 * limits. The handler reads the first of these through {@link io.iocp4j.Connection}, the engine's reports the rest.
 *
 * <p>The counts are written on the port thread only; other threads read them without a fence, for statistics that
 * may lag a little. Plain fields: the hot path pays an addition, no more.
 */
abstract sealed class ConnectionRecord permits PortResident {
    private final long id;
    /** The peer's address; a PROXY header may replace it, once, before the handler hears of the connection. */
    private volatile InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final long startNanos = System.nanoTime();
    private volatile Object attachment;
    private final Attributes attributes = new Attributes();
    /** The engine's totals, which every count here adds to as well. */
    private final Traffic traffic;
    private long bytesIn;
    private long bytesOut;
    // Set once by the connection table before the connection is started.
    private int slot;
    private int generation;
    /** Counted against the server's limits while it lives: given back once, when it is released. */
    private boolean admitted;
    private boolean holdsAddressPlace;

    ConnectionRecord(long id, TransportSocket socket, Traffic traffic) {
        this.id = id;
        this.remoteAddress = socket.remoteAddress();
        this.localAddress = socket.localAddress();
        this.traffic = traffic;
    }

    public long id() {
        return id;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    public Object attachment() {
        return attachment;
    }

    public Attributes attributes() {
        return attributes;
    }

    /** {@link System#nanoTime()} when this connection was made. */
    public long startNanos() {
        return startNanos;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public void countReceived(int bytes) {
        bytesIn += bytes;
        traffic.received(bytes);
    }

    public void countSent(int bytes) {
        bytesOut += bytes;
        traffic.sent(bytes);
    }

    /** Queued frames dropped unsent because the connection closed. */
    public void countDropped(int frames) {
        if (frames > 0) {
            traffic.dropped(frames);
        }
    }

    /** The engine's totals. */
    final Traffic traffic() {
        return traffic;
    }

    void assignSlot(int slot, int generation) {
        this.slot = slot;
        this.generation = generation;
    }

    int slot() {
        return slot;
    }

    int generation() {
        return generation;
    }

    /** The user data of an operation of this connection: its slot, its generation and the operation. */
    public long userData(int op) {
        return UserData.pack(slot, generation, op);
    }

    /** Counted by the admission rules; {@code holdsAddressPlace} unless a stage will name the real peer first. */
    public void markAdmitted(boolean holdsAddressPlace) {
        admitted = true;
        this.holdsAddressPlace = holdsAddressPlace;
    }

    public boolean admitted() {
        return admitted;
    }

    /** Whether the per-address limit counts this connection under its remote address. */
    public boolean holdsAddressPlace() {
        return holdsAddressPlace;
    }

    /** Port thread: a stage named the real peer, who was let in; its address place is held from now on. */
    final void peerNamed(InetSocketAddress client) {
        remoteAddress = client;
        holdsAddressPlace = true;
    }
}
