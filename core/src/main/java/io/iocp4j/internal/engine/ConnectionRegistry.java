package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferInfo;
import io.iocp4j.internal.connection.ConnectionState;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.internal.files.FileSession;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Live connections by id, the peak count, and the packet totals of connections already gone. Connections join as
 * they are adopted and leave as they are released, each once. The connections themselves are those of the
 * {@link ConnectionTable}, which finds them by id.
 */
public final class ConnectionRegistry {
    private final BufferPool pool;
    private final ConnectionTable table;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final LongAdder closedPacketsIn = new LongAdder();
    private final LongAdder closedPacketsOut = new LongAdder();

    ConnectionRegistry(BufferPool pool, ConnectionTable table) {
        this.pool = pool;
        this.table = table;
    }

    /** After the table registered it. */
    void add(RealConnection connection) {
        int now = live.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    /** Port thread, as the connection is released (before the table frees it): its final counts join the totals. */
    void remove(RealConnection connection) {
        closedPacketsIn.add(connection.packetsIn());
        closedPacketsOut.add(connection.packetsOut());
        live.decrementAndGet();
    }

    /** The live connection with this id, or null. */
    public Connection connection(long id) {
        RealConnection connection = table.byId(id);
        return connection == null || connection.state() == ConnectionState.RELEASED ? null : connection;
    }

    /** Closes every open connection for which {@code which} holds, with {@code reason}; returns how many. */
    public int closeWhere(Predicate<Connection> which, CloseReason reason) {
        int closed = 0;
        for (RealConnection connection : table.snapshot()) {
            if (connection.state() < ConnectionState.CLOSED && which.test(connection)) {
                connection.closeWith(reason);
                closed++;
            }
        }
        return closed;
    }

    /** Encodes {@code packet} once and queues it for every open connection; returns how many took it. */
    public int broadcast(ByteBuffer packet) {
        return Broadcaster.broadcast(table.snapshot(), pool, packet);
    }

    int peak() {
        return peak.get();
    }

    long packetsIn() {
        long total = closedPacketsIn.sum();
        for (RealConnection connection : table.snapshot()) {
            total += connection.packetsIn();
        }
        return total;
    }

    long packetsOut() {
        long total = closedPacketsOut.sum();
        for (RealConnection connection : table.snapshot()) {
            total += connection.packetsOut();
        }
        return total;
    }

    /** Each live connection's id, peer, age, counters and queue, in id order. */
    public List<ConnectionInfo> snapshot() {
        long now = System.nanoTime();
        List<ConnectionInfo> infos = new ArrayList<>(live.get());
        for (RealConnection connection : table.snapshot()) {
            if (connection.state() != ConnectionState.RELEASED) {
                infos.add(new ConnectionInfo(connection.id(), connection.remoteAddress(),
                        age(connection.startNanos(), now), connection.bytesIn(), connection.bytesOut(),
                        connection.packetsIn(), connection.packetsOut(), connection.queuedBytes(),
                        connection.portIndex(), connection.load()));
            }
        }
        infos.sort((a, b) -> Long.compare(a.id(), b.id()));
        return infos;
    }

    /** The file transfers under way on live connections, each direction of each connection on its own. */
    public List<FileTransferInfo> fileTransfers() {
        List<FileTransferInfo> transfers = new ArrayList<>();
        for (RealConnection connection : table.snapshot()) {
            if (!(connection.protocol() instanceof FileSession files)
                    || connection.state() == ConnectionState.RELEASED) {
                continue;
            }
            FileTransfer in = files.incoming();
            if (in != null) {
                transfers.add(new FileTransferInfo(connection.id(), true, in));
            }
            FileTransfer out = files.outgoing();
            if (out != null) {
                transfers.add(new FileTransferInfo(connection.id(), false, out));
            }
        }
        return transfers;
    }

    static Duration age(long startNanos, long now) {
        return Duration.ofNanos(Math.max(0, now - startNanos));
    }
}
