package io.iocp4j.bench.hostile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatusTest {
    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 9876543 kB
            VmHWM:\t  300000 kB
            VmRSS:\t  123456 kB
            RssAnon:\t  100000 kB
            Threads:\t42
            """;

    @Test
    void readsResidentMemoryFromTheVmRssLineInKibibytes() {
        assertEquals(123_456L * 1024, ProcStatus.residentBytes(STATUS));
    }

    @Test
    void aStatusWithoutVmRssIsUnknown() {
        // A zombie's status has no memory lines.
        assertEquals(ProcStatus.UNKNOWN, ProcStatus.residentBytes("Name:\tjava\nState:\tZ (zombie)\n"));
    }

    @Test
    void countsTheEntriesOfADirectory(@TempDir Path directory) throws IOException {
        Files.createFile(directory.resolve("a"));
        Files.createFile(directory.resolve("b"));
        Files.createDirectory(directory.resolve("c"));
        assertEquals(3, ProcStatus.countEntries(directory));
        assertEquals(ProcStatus.UNKNOWN, ProcStatus.countEntries(directory.resolve("missing")));
    }

    @Test
    void readsThisProcessAndKnowsNothingOfAProcessThatIsGone() {
        long self = ProcessHandle.current().pid();
        assertTrue(ProcStatus.residentBytes(self) > 0);
        assertTrue(ProcStatus.openDescriptors(self) >= 3);
        assertEquals(ProcStatus.UNKNOWN, ProcStatus.residentBytes(Long.MAX_VALUE));
        assertEquals(ProcStatus.UNKNOWN, ProcStatus.openDescriptors(Long.MAX_VALUE));
    }

    @Test
    void theSamplerKeepsThePeakUntilReset() throws InterruptedException {
        try (ResourceSampler sampler = new ResourceSampler(ProcessHandle.current().pid())) {
            ResourceSampler.Reading now = sampler.read();
            assertTrue(sampler.peaks().residentBytes() >= now.residentBytes());
            sampler.resetPeaks();
            assertTrue(sampler.peaks().residentBytes() <= sampler.read().residentBytes());
        }
    }
}
