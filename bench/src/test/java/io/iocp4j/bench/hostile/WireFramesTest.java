package io.iocp4j.bench.hostile;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireFramesTest {
    @Test
    void aPingWithTheLongestBodyIsSixtyNineBytes() {
        byte[] pings = WireFrames.pings(3, 64);
        assertEquals(3 * 69, pings.length);
        ByteBuffer second = ByteBuffer.wrap(pings, 69, 69);
        assertEquals(65, second.getInt());
        assertEquals(WireFrames.PING, second.get());
    }

    @Test
    void aHeaderAnnouncesItsLengthBigEndian() {
        assertArrayEquals(new byte[]{0, 0x10, 0, 0}, WireFrames.header(1 << 20));
        assertArrayEquals(new byte[]{1, 0, 0, 0}, WireFrames.header(16 << 20));
        assertThrows(IllegalArgumentException.class, () -> WireFrames.header(0));
    }

    @Test
    void aSixtyFourKibibyteTextFrameHasLengthSixtyFiveThousandFiveHundredThirtySix() {
        byte[] text = WireFrames.text((64 << 10) - 1);
        assertEquals(65_536, ByteBuffer.wrap(text).getInt());
        assertEquals(WireFrames.TEXT, text[4]);
        assertEquals(4 + 65_536, text.length);
    }

    @Test
    void aFileOfferCarriesSizeChecksumAndName() {
        byte[] sha256 = new byte[32];
        Arrays.fill(sha256, (byte) 7);
        byte[] offer = WireFrames.fileOffer(1 << 20, sha256, "é.bin");
        ByteBuffer frame = ByteBuffer.wrap(offer);
        byte[] name = "é.bin".getBytes(StandardCharsets.UTF_8);
        assertEquals(1 + 8 + 32 + 2 + name.length, frame.getInt());
        assertEquals(WireFrames.FILE_OFFER, frame.get());
        assertEquals(1 << 20, frame.getLong());
        byte[] checksum = new byte[32];
        frame.get(checksum);
        assertArrayEquals(sha256, checksum);
        assertEquals(name.length, frame.getShort());
        byte[] written = new byte[name.length];
        frame.get(written);
        assertArrayEquals(name, written);
        assertEquals(0, frame.remaining());
    }
}
