package io.iocp4j.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {
    @Test
    void aStallAddsTheRoundTripsItHeldBack() {
        LatencyRecorder recorder = new LatencyRecorder(1_000_000);
        for (int i = 0; i < 998; i++) {
            recorder.record(1_000_000);
        }
        // One 100 ms stall: a closed loop measures it once, though 99 sends at 1 ms intervals were held back by it.
        recorder.record(100_000_000);
        assertEquals(999, recorder.count());
        assertEquals(998 + 100, recorder.correctedCount());
        assertTrue(recorder.measured(99) < 2_000_000, "measured p99 hides the stall: " + recorder.measured(99));
        assertTrue(recorder.corrected(99) > 40_000_000, "corrected p99 shows it: " + recorder.corrected(99));
        long median = recorder.corrected(50);
        assertTrue(median >= 999_000 && median <= 1_001_000, "median stays at 1 ms: " + median);
    }

    @Test
    void withoutAnIntervalNothingIsAdded() {
        LatencyRecorder recorder = new LatencyRecorder(0);
        recorder.record(100_000_000);
        recorder.record(1_000);
        assertEquals(2, recorder.correctedCount());
        recorder.reset();
        assertEquals(0, recorder.count());
        assertEquals(0, recorder.correctedCount());
    }

    @Test
    void refusesANegativeInterval() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyRecorder(-1));
    }
}
