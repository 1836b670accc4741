package io.iocp4j.file;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskNamesTest {
    @Test
    void keepsPlainAsciiNamesAsTheyAre() {
        for (String name : new String[]{"a", "notes.txt", "a b", "x.y.z", "a...", "a.", "file-1_2+3"}) {
            assertEquals(name, DiskNames.of(name));
        }
    }

    @Test
    void escapesNonAsciiBytesPercentTildeAndALeadingDot() {
        assertEquals("r%C3%A9sum%C3%A9.txt", DiskNames.of("résumé.txt"));
        assertEquals("%2Ehidden", DiskNames.of(".hidden"));
        assertEquals("%2E..", DiskNames.of("..."));
        assertEquals("100%25%7Ex", DiskNames.of("100%~x"));
    }

    @Test
    void mapsEveryNameToPrintableAsciiOfAtMost255BytesNotStartingWithADot() {
        for (String name : new String[]{"é".repeat(127), "日".repeat(85), "a".repeat(255), ".".repeat(255),
                "%".repeat(255), "~".repeat(200) + "é".repeat(27)}) {
            String disk = DiskNames.of(name);
            assertTrue(disk.length() <= 255, name);
            assertTrue(disk.chars().allMatch(c -> c >= 0x20 && c < 0x7F), disk);
            assertTrue(!disk.startsWith("."), disk);
        }
    }

    @Test
    void longNamesSharingAPrefixStayDistinctAndEndWithTheirHash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String name = "é".repeat(120) + i;
            String disk = DiskNames.of(name);
            assertTrue(seen.add(disk), disk);
            assertTrue(disk.matches(".*~[0-9a-f]{32}"), disk);
        }
        // A cut never splits an escape: what is kept before '~' is whole escapes.
        String disk = DiskNames.of("é".repeat(127));
        assertTrue(disk.substring(0, disk.indexOf('~')).matches("(%[0-9A-F]{2})+"), disk);
    }
}
