package io.iocp4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void withoutJitterDelaysDoubleUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2, 0, new Random(1));
        long[] expected = {100, 200, 400, 800, 1000, 1000};
        for (long millis : expected) {
            assertEquals(Duration.ofMillis(millis), backoff.next());
        }
        assertEquals(6, backoff.attempts());
        backoff.reset();
        assertEquals(0, backoff.attempts());
        assertEquals(Duration.ofMillis(100), backoff.next());
    }

    @Test
    void jitterDrawsEachDelayFromItsUpperPartAndNeverPassesTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700), 2, 0.5, new Random(7));
        long base = 100;
        boolean spread = false;
        for (int i = 0; i < 200; i++) {
            long delay = backoff.next().toMillis();
            long low = Math.min(700, base) / 2;
            assertTrue(delay >= low && delay <= Math.min(700, base), "delay " + i + " = " + delay + " base " + base);
            spread |= delay != base;
            base = Math.min(700, base * 2);
        }
        assertTrue(spread, "jitter moved at least one delay");
    }

    @Test
    void fullJitterKeepsEachDelayUnderABoundThatDoublesUpToTheMaximum() {
        Backoff backoff = Backoff.fullJitter(Duration.ofMillis(10), Duration.ofMillis(500));
        long[] bounds = {10, 20, 40, 80, 160, 320, 500, 500, 500};
        boolean spread = false;
        for (long bound : bounds) {
            Duration delay = backoff.next();
            assertTrue(!delay.isNegative() && delay.toMillis() <= bound, () -> "delay " + delay + " over " + bound);
            spread |= delay.toMillis() < bound / 2;
        }
        assertEquals(bounds.length, backoff.attempts());
        for (int i = 0; i < 100 && !spread; i++) {
            spread = backoff.next().toMillis() < 250;
        }
        assertTrue(spread, "full jitter reaches down to zero");
    }

    @Test
    void manyAttemptsNeitherOverflowNorPassTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofNanos(1), Duration.ofDays(365), 10, 0.5, new Random(3));
        for (int i = 0; i < 500; i++) {
            Duration delay = backoff.next();
            assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofDays(365)) <= 0, "attempt " + i + ": " + delay);
        }
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Backoff a = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(5), 3, 1, new Random(42));
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(5), 3, 1, new Random(42));
        for (int i = 0; i < 20; i++) {
            assertEquals(a.next(), b.next());
        }
    }

    @Test
    void badSettingsAreRefused() {
        Random random = new Random();
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0.5, random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5, random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 0.5, random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN, 0.5, random));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 1.5, random));
    }
}
