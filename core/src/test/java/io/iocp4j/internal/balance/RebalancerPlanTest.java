package io.iocp4j.internal.balance;

import io.iocp4j.internal.connection.RealConnection;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RebalancerPlanTest {
    private static final long HEAVY = 40L << 20;
    private static final long LIGHT = 20L << 10;

    /** A port's sample: its total load is what its connections carry, plus {@code others} not listed. */
    private static LoadMeter.Sample port(int index, long others, long... heaviest) {
        long total = others;
        for (long load : heaviest) {
            total += load;
        }
        return new LoadMeter.Sample(index, total, new RealConnection[heaviest.length], heaviest);
    }

    @Test
    void fourHeavyConnectionsOnOnePortGoOneToEachOtherPort() {
        long lights = 100 * LIGHT;
        List<Rebalancer.Move> moves = Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, lights - 4 * LIGHT, HEAVY, HEAVY + 1, HEAVY - 1, HEAVY, LIGHT, LIGHT, LIGHT, LIGHT),
                port(1, lights), port(2, lights), port(3, lights)}, 1.5);
        assertEquals(3, moves.size(), moves.toString());
        Set<Integer> targets = new HashSet<>();
        for (Rebalancer.Move move : moves) {
            assertEquals(0, move.from());
            assertTrue(move.load() >= HEAVY - 1, "only heavy connections move: " + move);
            targets.add(move.to());
        }
        assertEquals(Set.of(1, 2, 3), targets);
    }

    @Test
    void balancedPortsMoveNothing() {
        assertEquals(List.of(), Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, 0, HEAVY, LIGHT), port(1, 0, HEAVY + HEAVY / 4, LIGHT)}, 1.5));
    }

    @Test
    void aMoveThatWouldOnlySwapWhichPortIsBusiestIsNotMade() {
        // Three heavy on two ports: after one move, 2 against 1; moving another would just reverse it.
        List<Rebalancer.Move> moves = Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, 0, HEAVY, HEAVY, HEAVY), port(1, 0)}, 1.5);
        assertEquals(1, moves.size(), moves.toString());
        List<Rebalancer.Move> again = Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, 0, HEAVY, HEAVY), port(1, 0, HEAVY)}, 1.5);
        assertEquals(List.of(), again);
    }

    @Test
    void lightLoadsAreNotWorthMoving() {
        assertEquals(List.of(), Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, 0, Rebalancer.MIN_GAP / 4, Rebalancer.MIN_GAP / 4), port(1, 0)}, 1.5));
    }

    @Test
    void belowTheFactorNothingMoves() {
        assertEquals(List.of(), Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, 0, HEAVY, HEAVY / 2), port(1, HEAVY)}, 1.6));
    }

    @Test
    void onlyLightConnectionsListedOnTheBusyPortMoveNothingUseless() {
        // The busy port's load is in connections too light to narrow the gap by a quarter each.
        List<Rebalancer.Move> moves = Rebalancer.plan(new LoadMeter.Sample[]{
                port(0, HEAVY, LIGHT, LIGHT, LIGHT), port(1, 0)}, 1.5);
        assertEquals(List.of(), moves);
    }
}
