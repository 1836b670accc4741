package io.iocp4j.cli;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PingSessionTest {
    @Test
    void takesTheNearestRankPercentile() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(50, PingSession.percentile(hundred, 50));
        assertEquals(99, PingSession.percentile(hundred, 99));
        assertEquals(100, PingSession.percentile(hundred, 100));
        assertEquals(7, PingSession.percentile(new long[]{7}, 50));
        assertEquals(7, PingSession.percentile(new long[]{7}, 99));
        assertEquals(2, PingSession.percentile(new long[]{1, 2, 3}, 50));
        assertEquals(3, PingSession.percentile(new long[]{1, 2, 3}, 99));
    }
}
