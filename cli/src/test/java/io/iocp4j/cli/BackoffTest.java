package io.iocp4j.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void eachDelayStaysUnderABoundThatDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(500));
        long[] bounds = {10, 20, 40, 80, 160, 320, 500, 500, 500};
        for (long bound : bounds) {
            long delay = backoff.nextDelayNanos();
            assertTrue(delay >= 0 && delay <= bound * MS, () -> "delay " + delay + " over " + bound + " ms");
        }
        assertEquals(bounds.length, backoff.attempts());
    }

    @Test
    void delaysAreSpreadNotAllTheSame() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        long first = backoff.nextDelayNanos();
        boolean differs = false;
        for (int i = 0; i < 100 && !differs; i++) {
            differs = backoff.nextDelayNanos() != first;
        }
        assertTrue(differs, "a hundred delays all equal: no jitter");
    }

    @Test
    void resetStartsFromTheBaseAgain() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) {
            backoff.nextDelayNanos();
        }
        backoff.reset();
        assertEquals(0, backoff.attempts());
        assertTrue(backoff.nextDelayNanos() <= MS);
    }

    @Test
    void manyAttemptsNeitherOverflowNorPassTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(30));
        for (int i = 0; i < 200; i++) {
            long delay = backoff.nextDelayNanos();
            assertTrue(delay >= 0 && delay <= 30 * MS, "delay " + delay + " at attempt " + i);
        }
    }

    @Test
    void refusesABaseOverTheMaximumOrNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
