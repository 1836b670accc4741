package io.iocp4j.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LineReaderTest {
    @Test
    void splitsOnNewlineDropsCarriageReturnAndKeepsAnUnfinishedLastLine() throws IOException {
        LineReader lines = reader("one\r\n\ntwo\nthree", 100);
        assertArrayEquals(bytes("one"), lines.next());
        assertArrayEquals(bytes(""), lines.next());
        assertArrayEquals(bytes("two"), lines.next());
        assertArrayEquals(bytes("three"), lines.next());
        assertNull(lines.next());
    }

    @Test
    void passesBytesThroughWithoutDecodingThem() throws IOException {
        byte[] raw = {(byte) 0xFF, (byte) 0xC3, 'x', '\n'};
        LineReader lines = new LineReader(new ByteArrayInputStream(raw), 10);
        assertArrayEquals(new byte[]{(byte) 0xFF, (byte) 0xC3, 'x'}, lines.next());
    }

    @Test
    void takesALineExactlyAtTheLimitAndRefusesOneByteMore() throws IOException {
        LineReader lines = reader("abcd\r\nabcd\nabcde\n", 4);
        assertArrayEquals(bytes("abcd"), lines.next());
        assertArrayEquals(bytes("abcd"), lines.next());
        assertThrows(LineReader.LineTooLongException.class, lines::next);
        assertThrows(LineReader.LineTooLongException.class, reader("abcd\rx", 4)::next);
    }

    @Test
    void endsAtTheEndOfEmptyInput() throws IOException {
        assertNull(reader("", 4).next());
    }

    private static LineReader reader(String text, int limit) {
        return new LineReader(new ByteArrayInputStream(bytes(text)), limit);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
