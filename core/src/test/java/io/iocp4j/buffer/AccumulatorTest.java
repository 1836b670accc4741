package io.iocp4j.buffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccumulatorTest {
    private final BufferPool pool = new BufferPool(1 << 20, true);
    private final CountingAllowance allowance = new CountingAllowance(Long.MAX_VALUE);

    @AfterEach
    void everythingGoesBack() {
        assertEquals(0, pool.leasesOutstanding(), () -> "outstanding: " + pool.outstandingLeaseSites());
        assertEquals(0, allowance.charged, "every charge refunded");
    }

    @Test
    void holdsWhatArrivedNotTheLimitItMayGrowTo() {
        Accumulator accumulator = new Accumulator(pool, allowance);
        assertTrue(accumulator.append(ByteBuffer.wrap(new byte[]{7}), 1, 16 << 20));
        assertEquals(1, accumulator.size());
        assertEquals(Accumulator.FIRST_STEP, accumulator.memoryHeld(), "one byte of a 16 MiB frame");
        assertEquals(accumulator.memoryHeld(), allowance.charged);
        accumulator.clear();
    }

    @Test
    void growsByDoublingSoMemoryStaysWithinTwiceWhatArrivedAndKeepsEveryByteInOrder() {
        Random random = new Random(11);
        byte[] stream = new byte[3 << 20];
        random.nextBytes(stream);
        Accumulator accumulator = new Accumulator(pool, allowance);
        ByteBuffer source = ByteBuffer.wrap(stream);
        int grows = 0;
        int lastCapacity = 0;
        while (source.hasRemaining()) {
            int count = Math.min(source.remaining(), 1 + random.nextInt(70_000));
            assertTrue(accumulator.append(source, count, stream.length));
            if (accumulator.memoryHeld() != lastCapacity) {
                grows++;
                lastCapacity = accumulator.memoryHeld();
            }
            assertTrue(accumulator.memoryHeld() <= Math.max(Accumulator.FIRST_STEP, 2L * accumulator.size()),
                    "memory " + accumulator.memoryHeld() + " for " + accumulator.size() + " bytes");
            assertEquals(accumulator.memoryHeld(), allowance.charged);
        }
        assertTrue(grows <= 14, "each step at least doubles: " + grows + " steps");
        byte[] gathered = new byte[accumulator.size()];
        accumulator.bytes().get(gathered);
        assertArrayEquals(stream, gathered);
        assertEquals(1, pool.leasesOutstanding(), "the steps before went back");
        accumulator.clear();
    }

    @Test
    void aRefusedGrowthAppendsNothingAndLeavesTheSourceAsItWas() {
        CountingAllowance small = new CountingAllowance(1024);
        Accumulator accumulator = new Accumulator(pool, small);
        ByteBuffer source = ByteBuffer.wrap(new byte[3000]);
        assertTrue(accumulator.append(source, 1000, 3000));
        assertFalse(accumulator.append(source, 1000, 3000), "2048 bytes would pass the allowance of 1024");
        assertEquals(1000, source.position());
        assertEquals(1000, accumulator.size());
        assertEquals(1024, small.charged);
        accumulator.clear();
        assertEquals(0, small.charged);
    }

    @Test
    void anAllocationThatFailsIsRefusedAndRefunded() {
        pool.failAllocations(size -> size > 1024);
        try {
            Accumulator accumulator = new Accumulator(pool, allowance);
            ByteBuffer source = ByteBuffer.wrap(new byte[5000]);
            assertTrue(accumulator.append(source, 1000, 5000));
            assertFalse(accumulator.append(source, 4000, 5000));
            assertEquals(1024, allowance.charged, "the failed step's charge was given back");
            accumulator.clear();
        } finally {
            pool.failAllocations(null);
        }
    }

    @Test
    void refusesToGrowPastItsLimit() {
        Accumulator accumulator = new Accumulator(pool, allowance);
        assertThrows(IllegalArgumentException.class, () -> accumulator.append(ByteBuffer.allocate(10), 10, 9));
    }

    private static final class CountingAllowance implements Accumulator.Allowance {
        private final long limit;
        long charged;

        CountingAllowance(long limit) {
            this.limit = limit;
        }

        @Override
        public boolean take(long bytes, long held) {
            if (charged + bytes > limit) {
                return false;
            }
            charged += bytes;
            return true;
        }

        @Override
        public void give(long bytes) {
            charged -= bytes;
        }
    }
}
