package io.iocp4j.file;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FileNamesTest {
    @Test
    void acceptsPlainNamesOfOneTo255BytesInAnyScript() {
        byte[] longest = new byte[255];
        Arrays.fill(longest, (byte) 'a');
        for (String name : new String[]{"a", "notes.txt", "...", ".hidden", "résumé", "日本語.md", "a b", "~x",
                new String(longest, StandardCharsets.US_ASCII)}) {
            assertEquals(name, FileNames.validate(utf8(name)), name);
        }
    }

    @Test
    void refusesDotNamesSeparatorsControlCharactersAndWrongLengths() {
        byte[] tooLong = new byte[256];
        Arrays.fill(tooLong, (byte) 'a');
        for (byte[] name : new byte[][]{{}, {'.'}, {'.', '.'}, {'a', '/', 'b'}, {'/'}, {'a', '\\', 'b'},
                {'a', 0}, {0x01}, {'a', 0x1F}, {'a', 0x7F}, {'\n'}, tooLong}) {
            assertNull(FileNames.validate(ByteBuffer.wrap(name)), Arrays.toString(name));
        }
    }

    @Test
    void refusesInvalidUtf8() {
        byte[][] invalid = {
                {(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {'a', (byte) 0xE2, (byte) 0x82},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (byte[] name : invalid) {
            assertNull(FileNames.validate(ByteBuffer.wrap(name)), Arrays.toString(name));
        }
    }

    @Test
    void countsBytesNotCharacters() {
        // 128 two-byte characters: 256 bytes.
        assertNull(FileNames.validate(utf8("é".repeat(128))));
        assertEquals("é".repeat(127), FileNames.validate(utf8("é".repeat(127))));
    }

    @Test
    void readsOnlyTheBytesBetweenPositionAndLimit() {
        ByteBuffer framed = ByteBuffer.wrap(new byte[]{'/', 'o', 'k', '/'}).position(1).limit(3);
        assertEquals("ok", FileNames.validate(framed));
        assertEquals(1, framed.position());
    }

    private static ByteBuffer utf8(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8));
    }
}
