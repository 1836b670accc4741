package io.iocp4j.internal;

import io.iocp4j.BanList;
import io.iocp4j.RejectReason;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Who a server lets in, decided as a socket is accepted and before it is given anything: the accept filter, the
 * ban list, the per-address limit, then the connection limit. Any port thread may ask at once.
 *
 * <p>Counts only admitted connections: one over the limit is handed to the handler for a last word and freed, and
 * never counts against the limit or its address.
 */
public final class AdmissionPolicy {
    public static final int UNLIMITED = Integer.MAX_VALUE;
    private static final System.Logger LOG = System.getLogger(AdmissionPolicy.class.getName());

    private final int maxConnections;
    private final int maxPerAddress;
    private final BanList bans;
    private final Predicate<InetSocketAddress> filter;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[RejectReason.values().length];

    /**
     * @param filter called on the accepting port thread with the peer's address; false (or a throw) turns the
     *               connection away. Null lets everyone through.
     */
    public AdmissionPolicy(int maxConnections, int maxPerAddress, BanList bans, Predicate<InetSocketAddress> filter) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections=" + maxConnections + " (must be at least 1)");
        }
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress=" + maxPerAddress + " (must be at least 1)");
        }
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.bans = bans;
        this.filter = filter;
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /** Lets everyone in, and counts them. */
    public static AdmissionPolicy open() {
        return new AdmissionPolicy(UNLIMITED, UNLIMITED, new BanList(), null);
    }

    public BanList bans() {
        return bans;
    }

    /**
     * Port thread, for a socket just accepted. Null: admitted, and counted until {@link #released}.
     * {@link RejectReason#CONNECTION_LIMIT}: over the limit, to be given its last word. Otherwise: close it now.
     */
    RejectReason admit(InetSocketAddress remote, boolean peerNamedLater) {
        InetAddress address = remote == null ? null : remote.getAddress();
        RejectReason verdict = check(remote, address, peerNamedLater);
        if (verdict != null) {
            rejected[verdict.ordinal()].increment();
        } else {
            accepted.increment();
        }
        return verdict;
    }

    private RejectReason check(InetSocketAddress remote, InetAddress address, boolean peerNamedLater) {
        if (address == null && judgesAddresses()) {
            // The peer left before its address could be read: it cannot be judged, so it is not let in.
            return RejectReason.FILTERED;
        }
        if (filter != null && !filterAllows(remote)) {
            return RejectReason.FILTERED;
        }
        if (address != null && bans.isBanned(address)) {
            return RejectReason.BANNED;
        }
        // A load balancer speaks for many clients: each is counted once its stage names it (readmit).
        boolean placeTaken = !peerNamedLater && maxPerAddress != UNLIMITED;
        if (placeTaken && !takePerAddress(address)) {
            return RejectReason.PER_ADDRESS_LIMIT;
        }
        if (admitted.incrementAndGet() > maxConnections) {
            admitted.decrementAndGet();
            if (address != null && placeTaken) {
                givePerAddress(address);
            }
            return RejectReason.CONNECTION_LIMIT;
        }
        return null;
    }

    private boolean judgesAddresses() {
        return filter != null || maxPerAddress != UNLIMITED || !bans.isEmpty();
    }

    private boolean filterAllows(InetSocketAddress remote) {
        try {
            return filter.test(remote);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "accept filter failed on " + remote + "; connection refused", e);
            return false;
        }
    }

    private boolean takePerAddress(InetAddress address) {
        boolean[] taken = {false};
        perAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerAddress) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void givePerAddress(InetAddress address) {
        perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Port thread: an admitted connection from {@code from} speaks for {@code to} (a load balancer's PROXY header),
     * and is judged again as {@code to}: the accept filter, the bans and the per-address limit. Null: admitted,
     * {@code from}'s per-address place handed over to {@code to}. Otherwise the reason, counted; {@code from} keeps
     * its place until the connection is released.
     */
    RejectReason readmit(InetSocketAddress from, boolean fromHoldsPlace, InetSocketAddress to) {
        RejectReason verdict = null;
        InetAddress address = to.getAddress();
        if (filter != null && !filterAllows(to)) {
            verdict = RejectReason.FILTERED;
        } else if (address != null && bans.isBanned(address)) {
            verdict = RejectReason.BANNED;
        } else if (maxPerAddress != UNLIMITED && !takePerAddress(address)) {
            verdict = RejectReason.PER_ADDRESS_LIMIT;
        }
        if (verdict != null) {
            rejected[verdict.ordinal()].increment();
            return verdict;
        }
        if (fromHoldsPlace && from != null && from.getAddress() != null && maxPerAddress != UNLIMITED) {
            givePerAddress(from.getAddress());
        }
        return null;
    }

    /**
     * An admitted connection has been released (or never got a slot): its place is free again, and its address's
     * place when it {@code holdsPlace} (a load balancer's connection whose client was never named holds none).
     */
    void released(InetSocketAddress remote, boolean holdsPlace) {
        admitted.decrementAndGet();
        if (holdsPlace && remote != null && remote.getAddress() != null && maxPerAddress != UNLIMITED) {
            givePerAddress(remote.getAddress());
        }
    }

    /** A connection counted as accepted found no slot after all. */
    void recountAsTableFull() {
        accepted.decrement();
        rejected[RejectReason.TABLE_FULL.ordinal()].increment();
    }

    long accepted() {
        return accepted.sum();
    }

    Map<RejectReason, Long> rejected() {
        Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            counts.put(reason, rejected[reason.ordinal()].sum());
        }
        return counts;
    }

    /** Admitted connections open now. */
    int admittedNow() {
        return admitted.get();
    }
}
