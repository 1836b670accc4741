package io.iocp4j.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of bytes, as typed: no charset decoding, so whatever bytes a line holds are what the TEXT message carries.
 * A line ends at '\n' (a '\r' before it is dropped) or at the end of the input. Not thread-safe.
 */
final class LineReader {
    /** Thrown for a line longer than the limit; what was read of it is dropped. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int limit) {
            super("a line longer than " + limit + " bytes does not fit in one TEXT message");
        }
    }

    private final InputStream in;
    private final int maxLength;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineReader(InputStream in, int maxLength) {
        this.in = new BufferedInputStream(in);
        this.maxLength = maxLength;
    }

    /** The next line without its ending, or null at the end of the input. */
    byte[] next() throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == maxLength + 1) {
                // One byte over the limit is kept: it may be the '\r' of a line exactly at the limit.
                throw new LineTooLongException(maxLength);
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        if (length > maxLength) {
            throw new LineTooLongException(maxLength);
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
