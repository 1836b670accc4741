package io.iocp4j.bench.hostile;

import io.iocp4j.bench.Arguments;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileReportTest {
    private static final ResourceSampler.Reading BEFORE = new ResourceSampler.Reading(100L << 20, 17);
    private static final ResourceSampler.Reading PEAK = new ResourceSampler.Reading(2048L << 20, 2017);

    @Test
    void aServerThatIgnoredSigtermAndNeverAnsweredTheWitnessReadsSo() {
        HostileResult result = new HostileResult("slow-header", "uring", 2000, 2000, BEFORE, PEAK, PEAK,
                new Witness.Result(2, 600_000, 600_000, 13_700_000, null), "no: no answer in 5000 ms",
                new DemoServer.Ending(15_000, 137, true, 15, false), null, 2, 1, "announced 1048576 bytes each", null);

        assertEquals(List.of("slow-header", "uring", "2000/2000", "100 MiB", "2048 MiB", "2048 MiB", "2017", "2017",
                "≥ 13.7 s (no answer)", "600.0 ms", "no: no answer in 5000 ms", "ignored, SIGKILL after 15 s", "137"),
                HostileReport.cells(result));
        List<String> details = HostileReport.details(result);
        assertTrue(details.contains("slow-header / uring: shutdown report: none printed"), details.toString());
        assertTrue(details.contains("slow-header / uring: server output: 2 lines naming OutOfMemoryError, 1 saying"
                + " an I/O thread stopped by an error"), details.toString());
    }

    @Test
    void aServerThatNeverStartedLeavesDashesNotGaps() {
        HostileResult result = new HostileResult("idle-early", "nio2", 0, 0, null, null, null, null, "-", null, null,
                0, 0, "", "the demo server did not start");

        assertEquals(List.of("idle-early", "nio2", "0/0", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
                HostileReport.cells(result));
        String markdown = HostileReport.markdown(List.of(result));
        assertTrue(markdown.contains("| idle-early | nio2 | 0/0 | - |"), markdown);
        assertTrue(markdown.contains("went wrong: the demo server did not start"), markdown);
    }

    @Test
    void quickScalesTheAttacksDownAndAFlagWinsOverBoth() {
        HostileSettings quick = HostileSettings.from(new Arguments(List.of("--quick", "--uploads", "7")));
        assertEquals(200, quick.connections());
        assertEquals(7, quick.uploads());
        assertTrue(quick.asFlags().startsWith("--connections 200 --slow-seconds 4 "), quick.asFlags());
        assertEquals(2000, HostileSettings.from(new Arguments(List.of())).connections());
        // Beyond what one process may open here.
        assertThrows(IllegalArgumentException.class,
                () -> HostileSettings.from(new Arguments(List.of("--connections", "20000"))));
    }
}
