package io.iocp4j.file;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskNamesTest {
    private static final List<UnaryOperator<String>> BOTH_FORMS = List.of(DiskNames::utf8, DiskNames::escaped);

    @Test
    void keepsPlainAsciiNamesAsTheyAreInBothForms() {
        for (UnaryOperator<String> form : BOTH_FORMS) {
            for (String name : new String[]{"a", "notes.txt", "a b", "x.y.z", "a...", "a.", "file-1_2+3"}) {
                assertEquals(name, form.apply(name));
            }
        }
    }

    @Test
    void storesUtf8NamesAsTheyAreButForPercentTildeAndALeadingDot() {
        assertEquals("résumé.txt", DiskNames.utf8("résumé.txt"));
        assertEquals("日本語.md", DiskNames.utf8("日本語.md"));
        assertEquals("%2Ehidden", DiskNames.utf8(".hidden"));
        assertEquals("%2E..", DiskNames.utf8("..."));
        assertEquals("100%25%7Ex é", DiskNames.utf8("100%~x é"));
    }

    @Test
    void escapesNonAsciiBytesPercentTildeAndALeadingDotInTheAsciiForm() {
        assertEquals("r%C3%A9sum%C3%A9.txt", DiskNames.escaped("résumé.txt"));
        assertEquals("%2Ehidden", DiskNames.escaped(".hidden"));
        assertEquals("%2E..", DiskNames.escaped("..."));
        assertEquals("100%25%7Ex", DiskNames.escaped("100%~x"));
    }

    @Test
    void mapsEveryNameToAtMost255BytesNotStartingWithADot() {
        for (String name : new String[]{"é".repeat(127), "日".repeat(85), "a".repeat(255), ".".repeat(255),
                "%".repeat(255), "~".repeat(200) + "é".repeat(27), "😀".repeat(63), "." + "日".repeat(84)}) {
            String ascii = DiskNames.escaped(name);
            assertTrue(ascii.length() <= 255, name);
            assertTrue(ascii.chars().allMatch(c -> c >= 0x20 && c < 0x7F), ascii);
            assertFalse(ascii.startsWith("."), ascii);
            String utf8 = DiskNames.utf8(name);
            assertTrue(utf8.getBytes(StandardCharsets.UTF_8).length <= 255, utf8);
            assertFalse(utf8.startsWith("."), utf8);
            assertEquals(utf8, new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                    "no code point cut in half");
        }
        assertEquals("日".repeat(85), DiskNames.utf8("日".repeat(85)), "255 bytes of UTF-8 fit as they are");
    }

    @Test
    void longNamesSharingAPrefixStayDistinctAndEndWithTheirHash() {
        for (UnaryOperator<String> form : BOTH_FORMS) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                String name = "%é".repeat(60) + i;
                String disk = form.apply(name);
                assertTrue(seen.add(disk), disk);
                assertTrue(disk.matches(".*~[0-9a-f]{32}"), disk);
            }
        }
        // A cut never splits an escape: what is kept before '~' is whole escapes.
        String disk = DiskNames.escaped("é".repeat(127));
        assertTrue(disk.substring(0, disk.indexOf('~')).matches("(%[0-9A-F]{2})+"), disk);
    }

    @Test
    void aShortNameCannotTakeTheDiskNameOfALongOne() {
        // '~' is escaped in every name that is not shortened, so the stored form of a long name is its own.
        String longName = "." + "a".repeat(254);
        String shortened = DiskNames.utf8(longName);
        assertTrue(shortened.contains("~"));
        assertEquals("x%7E" + shortened.substring(shortened.indexOf('~') + 1),
                DiskNames.utf8("x~" + shortened.substring(shortened.indexOf('~') + 1)));
    }

    @Test
    void theJvmFormFollowsItsFileNameCharset() {
        assertTrue(DiskNames.namesFilesInUtf8("UTF-8"));
        assertFalse(DiskNames.namesFilesInUtf8("ANSI_X3.4-1968"));
        assertFalse(DiskNames.namesFilesInUtf8("no-such-charset"));
        assertFalse(DiskNames.namesFilesInUtf8(null));
        String expected = DiskNames.keepsUtf8() ? DiskNames.utf8("é") : DiskNames.escaped("é");
        assertEquals(expected, DiskNames.of("é"));
    }
}
