package io.iocp4j.internal.accept;

import io.iocp4j.RejectReason;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.internal.events.ConnectionRejectedEvent;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.net.InetSocketAddress;

/**
 * What becomes of a socket a listener accepted: the admission policy decides, before the socket is given anything,
 * whether it becomes a connection, is closed at once, or (over the connection limit) gets a connection only for the
 * handler's last word. An admitted connection counts against the policy's limits until it is released.
 */
public final class Acceptance {
    private static final System.Logger LOG = System.getLogger(Acceptance.class.getName());

    private final ConnectionMaker maker;
    /** Whether to note where each connection was accepted, for leak reports. */
    private final boolean trackSites;
    /** Who accepted sockets let in; set before the first listener opens. */
    private volatile AdmissionPolicy policy = AdmissionPolicy.open();

    public Acceptance(ConnectionMaker maker, boolean trackSites) {
        this.maker = maker;
        this.trackSites = trackSites;
    }

    /** Judges connections accepted from now on by {@code policy}; called before the first listener opens. */
    public void apply(AdmissionPolicy policy) {
        this.policy = policy;
    }

    public AdmissionPolicy policy() {
        return policy;
    }

    /** Port thread, for a socket a listener accepted on port {@code portIndex}. */
    public void accept(int portIndex, TransportSocket socket, Endpoint endpoint) {
        AdmissionPolicy admission = policy;
        InetSocketAddress remote = socket.remoteAddress();
        boolean peerNamedLater = remote != null && endpoint.peerNamedLater(remote.getAddress());
        RejectReason verdict = admission.admit(remote, peerNamedLater);
        if (verdict != null) {
            ConnectionRejectedEvent.emit(remote, verdict);
        }
        if (verdict != null && verdict != RejectReason.CONNECTION_LIMIT) {
            // Through the completion path like every close; the socket never became a connection.
            socket.close(UserData.UNTRACKED);
            return;
        }
        Throwable site = trackSites ? new Throwable("connection from " + remote + " accepted here") : null;
        if (verdict == null) {
            RealConnection connection = maker.register(portIndex, socket, endpoint, site);
            if (connection == null) {
                admission.released(remote, !peerNamedLater);
                admission.recountAsTableFull();
                ConnectionRejectedEvent.emit(remote, RejectReason.TABLE_FULL);
                LOG.log(System.Logger.Level.WARNING, "connection table full; refused " + remote);
                return;
            }
            connection.markAdmitted(!peerNamedLater);
            int target = maker.placeAccepted(portIndex);
            if (target == portIndex) {
                maker.start(connection);
            } else {
                connection.startOn(target);
            }
        } else {
            RealConnection connection = maker.register(portIndex, socket, endpoint, site);
            if (connection != null) {
                connection.startOverLimit();
            }
        }
    }

    /**
     * Port thread: {@code connection} turned out to speak for {@code client} (a PROXY header); null when the
     * admission rules let the client in, else why not.
     */
    public RejectReason readmit(RealConnection connection, InetSocketAddress client) {
        if (!connection.admitted()) {
            return null;
        }
        RejectReason verdict = policy.readmit(connection.remoteAddress(), connection.holdsAddressPlace(), client);
        if (verdict != null) {
            ConnectionRejectedEvent.emit(client, verdict);
        }
        return verdict;
    }

    /** Port thread: a connection was released; an admitted one gives its place back. */
    public void released(RealConnection connection) {
        if (connection.admitted()) {
            policy.released(connection.remoteAddress(), connection.holdsAddressPlace());
        }
    }
}
