package io.iocp4j.internal.engine;

import io.iocp4j.CloseReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Connections ended, counted by their reason. Thread-safe. */
final class CloseCounts {
    private final LongAdder[] counts = new LongAdder[CloseReason.values().length];

    CloseCounts() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void count(CloseReason reason) {
        counts[(reason == null ? CloseReason.CLOSED_LOCALLY : reason).ordinal()].increment();
    }

    /** Every reason, in declaration order, 0 when none. */
    Map<CloseReason, Long> snapshot() {
        Map<CloseReason, Long> snapshot = new EnumMap<>(CloseReason.class);
        for (CloseReason reason : CloseReason.values()) {
            snapshot.put(reason, counts[reason.ordinal()].sum());
        }
        return snapshot;
    }
}
