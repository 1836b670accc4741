package io.iocp4j.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrometheusTextTest {
    @Test
    void escapesLabelValuesAndHelpSoThatAStrictParserReadsThemBack() {
        String text = new PrometheusText()
                .family("iocp4j_test_total", "counter", "a help with a \\ backslash\nand a second line")
                .sample("iocp4j_test_total", "reason", "quote \" backslash \\ newline \n end", 3)
                .sample("iocp4j_test_total", "reason", "plain", 1.5)
                .toString();
        ExpositionParser.Exposition parsed = ExpositionParser.parse(text);
        assertEquals(3, parsed.value("iocp4j_test_total{reason=\"quote \" backslash \\ newline \n end\"}"));
        assertEquals(1.5, parsed.value("iocp4j_test_total{reason=\"plain\"}"));
        assertEquals("a help with a \\ backslash\nand a second line", parsed.help().get("iocp4j_test_total"));
        assertEquals("""
                # HELP iocp4j_test_total a help with a \\\\ backslash\\nand a second line
                # TYPE iocp4j_test_total counter
                iocp4j_test_total{reason="quote \\" backslash \\\\ newline \\n end"} 3
                iocp4j_test_total{reason="plain"} 1.5
                """, text);
    }

    @Test
    void theParserRefusesWhatTheFormatForbids() {
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("a{b=\"\\x\"} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("a 1\nb 1\na 2\n"));
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("a 1\n# TYPE a counter\n"));
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("9a 1\n"));
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("a 1\na 2\n"));
        assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse("a one\n"));
    }
}
