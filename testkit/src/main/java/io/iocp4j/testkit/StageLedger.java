package io.iocp4j.testkit;

import io.iocp4j.stage.ByteStage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every stage a test made, and how often each was released: exactly once each, by the test's end. */
public final class StageLedger {
    private final Map<ByteStage, AtomicInteger> releases = new ConcurrentHashMap<>();
    private final AtomicInteger removed = new AtomicInteger();

    <S extends ByteStage> S made(S stage) {
        releases.put(stage, new AtomicInteger());
        return stage;
    }

    void released(ByteStage stage) {
        AtomicInteger count = releases.get(stage);
        if (count == null) {
            throw new AssertionError("released a stage never made: " + stage);
        }
        count.incrementAndGet();
    }

    void removedItself() {
        removed.incrementAndGet();
    }

    public int made() {
        return releases.size();
    }

    public int releasedCount() {
        return (int) releases.values().stream().filter(count -> count.get() > 0).count();
    }

    public int removedCount() {
        return removed.get();
    }

    /** Every stage made was released, and none twice. */
    public void assertEachReleasedOnce() {
        releases.forEach((stage, count) ->
                assertEquals(1, count.get(), () -> stage + " released " + count.get() + " times"));
    }
}
