package io.iocp4j;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerStatsTest {
    @Test
    void reasonsAreListedInTheOrderTheirEnumsDeclareThemWhateverOrderTheyCameIn() {
        Map<RejectReason, Long> rejected = new HashMap<>();
        List<RejectReason> rejectReasons = List.of(RejectReason.values());
        for (RejectReason reason : rejectReasons.reversed()) {
            rejected.put(reason, (long) reason.ordinal());
        }
        Map<CloseReason, Long> closed = new HashMap<>();
        List<CloseReason> closeReasons = List.of(CloseReason.values());
        for (CloseReason reason : closeReasons.reversed()) {
            closed.put(reason, 1L);
        }
        ServerStats stats = new ServerStats(0, 0, 0, 0, rejected, 0, 0, 0, 0, 0, 0, List.of(), closed, 0, 0);

        assertEquals(rejectReasons, List.copyOf(stats.rejected().keySet()));
        assertEquals(closeReasons, List.copyOf(stats.closed().keySet()));
        assertEquals(RejectReason.CONNECTION_LIMIT.ordinal(), stats.rejected(RejectReason.CONNECTION_LIMIT));
        assertThrows(UnsupportedOperationException.class, () -> stats.rejected().put(RejectReason.BANNED, 9L));
    }
}
