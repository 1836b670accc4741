package io.iocp4j.bench.hostile;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameReaderTest {
    @Test
    void readsFramesOneByteAtATimeAndSkipsLongBodies() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(WireFrames.text(70_000));
        stream.write(WireFrames.frame(WireFrames.ERROR, new byte[]{0, 8, 'b', 'y', 'e'}));
        stream.write(WireFrames.frame(WireFrames.FILE_ACCEPT, ByteBuffer.allocate(8).putLong(12_345).array()));
        FrameReader reader = new FrameReader(new OneByteAtATime(stream.toByteArray()));

        assertEquals(WireFrames.TEXT, reader.next());
        assertEquals(70_000, reader.bodyLength());
        assertEquals(FrameReader.KEPT_BODY_BYTES, reader.bodyStart().length);
        assertEquals(-1, reader.errorCode());

        assertEquals(WireFrames.ERROR, reader.next());
        assertEquals(WireFrames.SHUTTING_DOWN, reader.errorCode());
        assertArrayEquals(new byte[]{0, 8, 'b', 'y', 'e'}, reader.bodyStart());

        assertEquals(WireFrames.FILE_ACCEPT, reader.next());
        assertEquals(12_345, reader.acceptOffset());

        assertEquals(-1, reader.next());
    }

    @Test
    void aStreamEndingInsideAFrameIsAnError() {
        byte[] ping = WireFrames.frame(WireFrames.PING, new byte[8]);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(ping, 0, ping.length - 1));
        assertThrows(EOFException.class, reader::next);
    }

    @Test
    void aLengthOfZeroIsRefused() {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[]{0, 0, 0, 0, 1}));
        assertThrows(IOException.class, reader::next);
    }

    /** Hands out one byte per read, as the most fragmented network would. */
    private static final class OneByteAtATime extends InputStream {
        private final ByteArrayInputStream bytes;

        OneByteAtATime(byte[] bytes) {
            this.bytes = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            return length == 0 ? 0 : bytes.read(into, offset, 1);
        }
    }
}
