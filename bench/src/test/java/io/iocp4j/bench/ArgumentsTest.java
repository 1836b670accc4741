package io.iocp4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {
    @Test
    void readsPairsFlagsAndLists() {
        Arguments arguments = new Arguments(List.of("--quick", "--servers", "a, b,,c", "--repetitions", "5"));
        assertTrue(arguments.flag("quick"));
        assertFalse(arguments.flag("verbose"));
        assertEquals(List.of("a", "b", "c"), arguments.textList("servers", "x"));
        assertEquals(5, arguments.integer("repetitions", 3));
        assertEquals(7, arguments.integer("seconds", 7));
        arguments.requireAllUsed();
    }

    @Test
    void aFlagMayComeLast() {
        Arguments arguments = new Arguments(List.of("--workloads", "idle", "--quick"));
        assertTrue(arguments.flag("quick"));
        assertEquals(List.of("idle"), arguments.textList("workloads", ""));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> new Arguments(List.of("quick")));
        assertThrows(IllegalArgumentException.class, () -> new Arguments(List.of("--")));
        assertThrows(IllegalArgumentException.class, () -> new Arguments(List.of("--a", "1", "--a", "2")));
        Arguments arguments = new Arguments(List.of("--quick", "yes", "--size", "big", "--port", "--servers", ","));
        assertEquals("--quick takes no value, found yes",
                assertThrows(IllegalArgumentException.class, () -> arguments.flag("quick")).getMessage());
        assertEquals("--size must be a whole number, not big",
                assertThrows(IllegalArgumentException.class, () -> arguments.integer("size", 1)).getMessage());
        assertEquals("--port needs a value",
                assertThrows(IllegalArgumentException.class, () -> arguments.integer("port", 1)).getMessage());
        assertEquals("--servers needs at least one name",
                assertThrows(IllegalArgumentException.class, () -> arguments.textList("servers", "a")).getMessage());
    }

    @Test
    void refusesUnknownOptions() {
        Arguments arguments = new Arguments(List.of("--servers", "a", "--serverz", "b"));
        arguments.textList("servers", "");
        assertEquals("unknown options: [--serverz]",
                assertThrows(IllegalArgumentException.class, arguments::requireAllUsed).getMessage());
    }
}
