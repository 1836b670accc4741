package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each codec makes of given bytes, and what it refuses, byte for byte. */
class CodecBehaviourTest {
    private final BufferPool pool = new BufferPool(1 << 20, true);

    @AfterEach
    void leavesNoLeaseBehind() {
        assertEquals(0, pool.leasesOutstanding(), () -> "outstanding: " + pool.outstandingLeaseSites());
    }

    // ---- lines ----

    @Test
    void linesEndAtNewlineOrCarriageReturnNewlineAndMayBeEmpty() {
        Decoded decoded = decode(Framing.lines(10), "one\ntwo\r\n\n\r\nthree\r\r\n");
        assertEquals(List.of("one", "two", "", "", "three\r"), decoded.texts());
        assertNull(decoded.error);
    }

    @Test
    void aLineOfTheMaximumLengthPassesAndOneByteMoreIsTooLarge() {
        assertEquals(List.of("0123456789"), decode(Framing.lines(10), "0123456789\r\n").texts());
        Decoded tooLong = decode(Framing.lines(10), "ok\n0123456789X\n");
        assertEquals(List.of("ok"), tooLong.texts());
        assertEquals(FrameError.TOO_LARGE, tooLong.error);
    }

    @Test
    void anUnendedLineIsTooLargeOnceTheMaximumAndAnEndingHaveComeWithoutAnEnd() {
        FrameDecoder decoder = Framing.lines(10).newDecoder(pool);
        byte[] twelve = "0123456789ab".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 11; i++) {
            assertNull(decoder.decode(ByteBuffer.wrap(twelve, i, 1), frame -> true), "byte " + i);
        }
        assertEquals(FrameError.TOO_LARGE, decoder.decode(ByteBuffer.wrap(twelve, 11, 1), frame -> true));
        decoder.release();
    }

    @Test
    void linesGoOutWithANewlineAndALineHoldingOneIsRefused() {
        assertEquals("6869210a", encodeHex(Framing.lines(10), "hi!"));
        assertEquals("0a", encodeHex(Framing.lines(10), ""));
        Framing lines = Framing.lines(10);
        assertThrows(IllegalArgumentException.class, () -> lines.encode(pool, ascii("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> lines.encode(pool, ascii("ends in\r")));
        assertThrows(IllegalArgumentException.class, () -> lines.encode(pool, ascii("01234567890")));
    }

    // ---- delimited ----

    @Test
    void theDelimiterThatStartsFirstEndsThePacketAndTheFirstListedWinsATie() {
        Framing framing = Framing.delimited(20, raw("--"), raw("-"), raw("|"));
        assertEquals(List.of("a", "b", "c", "", "d"), decode(framing, "a--b-c|--d|").texts());
    }

    @Test
    void aDelimiterThatMayStillStartFirstWaitsForItsLastByte() {
        // "xyzw" starts before "z": decoding must not settle on "z" while "w" may still come.
        Framing framing = Framing.delimited(20, raw("xyzw"), raw("z"));
        FrameDecoder decoder = framing.newDecoder(pool);
        List<String> seen = new ArrayList<>();
        assertNull(decoder.decode(ascii("abxyz"), frame -> seen.add(text(frame))));
        assertTrue(seen.isEmpty(), "decided too early: " + seen);
        assertNull(decoder.decode(ascii("wq"), frame -> seen.add(text(frame))));
        assertEquals(List.of("ab"), seen);
        assertTrue(decoder.hasPartialFrame());
        decoder.release();
        assertEquals(List.of("abxy", "q"), decode(framing, "abxyzw".replace("w", "q") + "z").texts());
    }

    @Test
    void delimitedRefusesEmptyDelimitersAndPacketsThatWouldBeCutElsewhere() {
        assertThrows(IllegalArgumentException.class, () -> Framing.delimited(10));
        assertThrows(IllegalArgumentException.class, () -> Framing.delimited(10, new byte[0]));
        Framing framing = Framing.delimited(10, raw("\r\n"), raw("\0"));
        assertEquals("61620d0a", HexFormat.of().formatHex(encoded(framing, ascii("ab"))));
        assertThrows(IllegalArgumentException.class, () -> framing.encode(pool, ascii("a\0b")));
        assertThrows(IllegalArgumentException.class, () -> framing.encode(pool, ascii("a\r\nb")));
    }

    // ---- length field ----

    @Test
    void lengthFieldsOfEverySizeInBothOrders() {
        for (int size : new int[] {1, 2, 3, 4, 8}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                Framing framing = Framing.lengthField(200).bytes(size).order(order).build();
                byte[] packet = new byte[200];
                packet[0] = 7;
                byte[] framed = encoded(framing, ByteBuffer.wrap(packet));
                assertEquals(size + 200, framed.length);
                int lowByteAt = order == ByteOrder.BIG_ENDIAN ? size - 1 : 0;
                assertEquals((byte) 200, framed[lowByteAt], size + " " + order);
                Decoded decoded = decode(framing, framed);
                assertEquals(1, decoded.packets.size());
                assertEquals(HexFormat.of().formatHex(packet), decoded.packets.get(0));
            }
        }
    }

    @Test
    void aLengthFieldAfterAnOffsetCountingTheWholeFrameKeptInThePacket() {
        // type 0x01 0x02, length 6 (little-endian, counting the whole frame), body "hi"
        Framing framing = Framing.lengthField(100).offset(2).bytes(2).order(ByteOrder.LITTLE_ENDIAN)
                .adjustment(-4).strip(0).build();
        byte[] frame = {1, 2, 6, 0, 'h', 'i'};
        assertEquals(List.of("010206006869", "010206006869"), decode(framing, concat(frame, frame)).packets);
        assertEquals("010206006869", HexFormat.of().formatHex(encoded(framing, ByteBuffer.wrap(frame))));
        assertThrows(IllegalArgumentException.class, () -> framing.encode(pool, ByteBuffer.wrap(new byte[] {1, 2, 9, 0, 'h', 'i'})));
    }

    @Test
    void aStripLeavingPartOfTheHeaderAndATrailerLeftOutOfTheCount() {
        // 1 byte of version, a 2-byte length of the body alone, then the body and a 1-byte checksum it leaves out
        Framing framing = Framing.lengthField(100).offset(1).bytes(2).adjustment(1).strip(1).build();
        byte[] frame = {9, 0, 2, 'o', 'k', 0x7f};
        assertEquals(List.of("00026f6b7f"), decode(framing, frame).packets);
        assertThrows(UnsupportedOperationException.class, () -> framing.encode(pool, ascii("ok")));
    }

    @Test
    void lengthFieldErrors() {
        Framing prefix = Framing.lengthField(10).bytes(2).build();
        assertEquals(FrameError.TOO_LARGE, decode(prefix, new byte[] {0, 11}).error);
        assertEquals(FrameError.EMPTY, decode(prefix, new byte[] {0, 0}).error);
        Framing counting = Framing.lengthField(10).bytes(2).adjustment(-2).build();
        assertEquals(FrameError.MALFORMED, decode(counting, new byte[] {0, 1}).error);
        Framing wide = Framing.lengthField(Integer.MAX_VALUE).bytes(8).build();
        assertEquals(FrameError.TOO_LARGE, decode(wide, new byte[] {-128, 0, 0, 0, 0, 0, 0, 1}).error);
        assertEquals(FrameError.TOO_LARGE, decode(wide, new byte[] {0, 0, 0, 1, 0, 0, 0, 0}).error);
        assertEquals(0, pool.leasesTotal(), "nothing is leased for a frame announced but never come");
    }

    @Test
    void lengthFieldBuilderRefusesWhatCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(10).bytes(5));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(10).bytes(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(10).offset(-1));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(10).strip(-1));
        Framing oneByte = Framing.lengthField(1000).bytes(1).build();
        assertThrows(IllegalArgumentException.class, () -> oneByte.encode(pool, ByteBuffer.allocate(256)));
    }

    // ---- fixed length ----

    @Test
    void fixedLengthCutsEveryNBytesAndSendsOnlyPacketsOfN() {
        assertEquals(List.of("abc", "def"), decode(Framing.fixedLength(3), "abcdefg").texts());
        Framing framing = Framing.fixedLength(3);
        assertThrows(IllegalArgumentException.class, () -> framing.encode(pool, ascii("ab")));
        assertEquals("616263", HexFormat.of().formatHex(encoded(framing, ascii("abc"))));
        assertThrows(IllegalArgumentException.class, () -> Framing.fixedLength(0));
    }

    // ---- helpers ----

    private record Decoded(List<String> packets, FrameError error) {
        List<String> texts() {
            return packets.stream().map(hex -> new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1))
                    .toList();
        }
    }

    private Decoded decode(Framing framing, String stream) {
        return decode(framing, stream.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Decoded decode(Framing framing, byte[] stream) {
        FrameDecoder decoder = framing.newDecoder(pool);
        List<String> seen = new ArrayList<>();
        FrameError error = decoder.decode(ByteBuffer.wrap(stream), frame -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(frame.position(), bytes);
            return seen.add(HexFormat.of().formatHex(bytes));
        });
        decoder.release();
        return new Decoded(seen, error);
    }

    private byte[] encoded(Framing framing, ByteBuffer packet) {
        IoBuffer framed = framing.encode(pool, packet);
        byte[] bytes = new byte[framed.byteBuffer().remaining()];
        framed.byteBuffer().get(framed.byteBuffer().position(), bytes);
        framed.release();
        return bytes;
    }

    private String encodeHex(Framing framing, String packet) {
        return HexFormat.of().formatHex(encoded(framing, ascii(packet)));
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(frame.position(), bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
