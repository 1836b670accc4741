package io.iocp4j.file;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's rule for file names: 1 to 255 bytes of valid UTF-8, a plain name with no '/', '\', NUL or
 * control character, and neither "." nor "..". Decided on the bytes, so the machine's locale plays no part.
 */
public final class FileNames {
    public static final int MAX_BYTES = 255;

    private FileNames() {
    }

    /** The name, or null when the bytes break the rule. */
    public static String validate(ByteBuffer nameBytes) {
        int length = nameBytes.remaining();
        if (length < 1 || length > MAX_BYTES) {
            return null;
        }
        for (int i = nameBytes.position(); i < nameBytes.limit(); i++) {
            int b = nameBytes.get(i) & 0xFF;
            if (b < 0x20 || b == 0x7F || b == '/' || b == '\\') {
                return null;
            }
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nameBytes.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (name.equals(".") || name.equals("..")) {
            return null;
        }
        return name;
    }
}
