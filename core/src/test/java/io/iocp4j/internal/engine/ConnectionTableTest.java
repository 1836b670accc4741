package io.iocp4j.internal.engine;

import io.iocp4j.Handler;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.Framing;
import io.iocp4j.internal.connection.ConnectionTable;
import io.iocp4j.internal.connection.Endpoint;
import io.iocp4j.internal.connection.RealConnection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table's index by id, through growth of the table and of the index, and many frees in any order. */
class ConnectionTableTest {
    private final ManualTransport transport = new ManualTransport();
    private final BufferPool pool = new BufferPool();
    private final Engine engine = new Engine(transport, "test", 1, pool, 100_000);
    private final Handler handler = (connection, packet) -> { };
    private final Endpoint endpoint = new Endpoint(Framing.none(), handler);

    ConnectionTableTest() throws Exception {
    }

    @Test
    void everyLiveConnectionIsFoundByItsIdAndNoFreedOne() {
        ConnectionTable table = new ConnectionTable(4, 100_000);
        Random random = new Random(42);
        Map<Long, RealConnection> live = new HashMap<>();
        List<RealConnection> freed = new ArrayList<>();
        long nextId = 1;
        for (int step = 0; step < 30_000; step++) {
            // Mostly adds at first, then as many frees as adds: the index grows, then entries go from the middle
            // of its probe runs.
            boolean add = live.isEmpty() || random.nextInt(100) < (step < 10_000 ? 80 : 50);
            if (add) {
                RealConnection connection = connection(nextId++);
                assertTrue(table.register(connection));
                live.put(connection.id(), connection);
            } else {
                RealConnection gone = live.values().stream().skip(random.nextInt(live.size())).findFirst()
                        .orElseThrow();
                table.free(gone);
                live.remove(gone.id());
                freed.add(gone);
            }
            if (step % 1_000 == 0) {
                assertIndexed(table, live, freed);
            }
        }
        assertIndexed(table, live, freed);
        assertNull(table.byId(nextId), "an id never given");
        for (RealConnection connection : List.copyOf(live.values())) {
            table.free(connection);
        }
        assertEquals(0, table.inUse());
        for (long id = 1; id < nextId; id++) {
            assertNull(table.byId(id));
        }
    }

    @Test
    void aConnectionFreedTwiceIsRefused() {
        ConnectionTable table = new ConnectionTable(4, 16);
        RealConnection connection = connection(1);
        table.register(connection);
        table.free(connection);
        assertThrows(IllegalStateException.class, () -> table.free(connection));
        assertFalse(table.snapshot().contains(connection));
    }

    private static void assertIndexed(ConnectionTable table, Map<Long, RealConnection> live,
                                      List<RealConnection> freed) {
        assertEquals(live.size(), table.inUse());
        for (RealConnection connection : live.values()) {
            assertSame(connection, table.byId(connection.id()), "id " + connection.id());
        }
        for (RealConnection connection : freed) {
            assertNull(table.byId(connection.id()), "freed id " + connection.id());
        }
    }

    private RealConnection connection(long id) {
        return new RealConnection(id, engine, 0, transport.new ManualSocket(), endpoint);
    }
}
