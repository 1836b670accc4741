package io.iocp4j.bench.run;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest {
    @Test
    void medianSpreadAndRatio() {
        Statistics odd = Statistics.of(30, 10, 20);
        assertEquals(20, odd.median());
        assertEquals(10, odd.min());
        assertEquals(30, odd.max());
        assertEquals(50, odd.spreadPercent(), 1e-9);
        Statistics even = Statistics.of(4, 1, 3, 2);
        assertEquals(2.5, even.median());
        assertEquals(0.125, even.ratioTo(Statistics.of(20)), 1e-12);
        assertThrows(IllegalArgumentException.class, Statistics::of);
    }

    @Test
    void picksOneServersFigureUnderOneWorkload() {
        List<Measurement> measurements = List.of(
                new Measurement("a", "w", 1, Map.of("msgsPerSec", 100.0)),
                new Measurement("a", "w", 2, Map.of("msgsPerSec", 300.0)),
                new Measurement("a", "other", 1, Map.of("msgsPerSec", 1e9)),
                new Measurement("b", "w", 1, Map.of("msgsPerSec", 5.0)));
        assertEquals(200, Statistics.of(measurements, "a", "w", "msgsPerSec").orElseThrow().median());
        assertTrue(Statistics.of(measurements, "a", "w", "p99us").isEmpty());
        assertTrue(Statistics.of(measurements, "c", "w", "msgsPerSec").isEmpty());
    }

    @Test
    void readsTheNumbersOfAResultLine() {
        Map<String, Double> values = Measurement.parseResult(
                "RESULT mode=PING_PONG connections=100 msgsPerSec=1234.5 p99us=88.0 junk");
        assertEquals(Map.of("connections", 100.0, "msgsPerSec", 1234.5, "p99us", 88.0), values);
        assertThrows(IllegalArgumentException.class, () -> Measurement.parseResult("OPEN 5"));
    }
}
