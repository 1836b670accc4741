package io.iocp4j.internal.balance;

import io.iocp4j.Balancing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortLoadTest {
    @Test
    void roundRobinTakesEachPortInTurn() {
        PortLoad load = new PortLoad(3);
        load.added(0);
        load.added(0);
        int[] chosen = new int[6];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = load.choose(Balancing.ROUND_ROBIN);
        }
        assertEquals("[0, 1, 2, 0, 1, 2]", java.util.Arrays.toString(chosen));
    }

    @Test
    void leastConnectionsTakesThePortWithFewest() {
        PortLoad load = new PortLoad(3);
        load.added(0);
        load.added(1);
        load.added(1);
        assertEquals(2, load.choose(Balancing.LEAST_CONNECTIONS));
        load.added(2);
        load.added(2);
        assertEquals(0, load.choose(Balancing.LEAST_CONNECTIONS));
    }

    @Test
    void leastLoadTakesTheLeastMeasuredPortAndCountsWhatItGaveSinceTheLastSample() {
        PortLoad load = new PortLoad(2);
        for (int i = 0; i < 4; i++) {
            load.added(0);
            load.added(1);
        }
        load.measured(0, 4_000_000);
        load.measured(1, 1_000_000);
        // Each new connection is expected to bring the average load (5 MB/s over 8 connections).
        int toOne = 0;
        for (int i = 0; i < 12; i++) {
            int port = load.choose(Balancing.LEAST_LOAD);
            if (port == 1) {
                toOne++;
            }
        }
        assertTrue(toOne >= 4 && toOne < 12, "new connections on the lighter port: " + toOne);
        // A sample replaces the estimates.
        load.measured(1, 1_000_000);
        assertEquals(1, load.choose(Balancing.LEAST_LOAD));
    }

    @Test
    void aMoveShiftsConnectionsAndLoadAtOnce() {
        PortLoad load = new PortLoad(2);
        load.added(0);
        load.measured(0, 500);
        load.moved(0, 1, 500);
        assertEquals(0, load.connections(0));
        assertEquals(1, load.connections(1));
        assertEquals(0, load.load(0));
        assertEquals(500, load.load(1));
    }

    @Test
    void aPortIsClearlyBetterOnlyBeyondTheFactor() {
        PortLoad load = new PortLoad(2);
        for (int i = 0; i < 10; i++) {
            load.added(0);
        }
        for (int i = 0; i < 8; i++) {
            load.added(1);
        }
        assertFalse(load.clearlyBetter(Balancing.LEAST_CONNECTIONS, 1, 0, 1.5));
        for (int i = 0; i < 10; i++) {
            load.added(0);
        }
        assertTrue(load.clearlyBetter(Balancing.LEAST_CONNECTIONS, 1, 0, 1.5));
        load.measured(0, 10L << 20);
        load.measured(1, 9L << 20);
        assertFalse(load.clearlyBetter(Balancing.LEAST_LOAD, 1, 0, 1.5));
        load.measured(1, 1L << 20);
        assertTrue(load.clearlyBetter(Balancing.LEAST_LOAD, 1, 0, 1.5));
    }
}
