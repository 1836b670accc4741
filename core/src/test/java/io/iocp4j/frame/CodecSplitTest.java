package io.iocp4j.frame;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every codec against the same properties: what it encodes decodes back whole, and the packets (and error) a stream
 * gives do not depend on how the stream is cut, one byte at a time, at every two-way cut, at random cuts, with the
 * sink stopping at random, or with garbage; memory follows the bytes that arrived, and nothing stays leased.
 */
class CodecSplitTest {
    private static final int MAX = 300;

    private final BufferPool pool = new BufferPool(1 << 20, true);

    /** A codec under test and the packets it can carry. */
    record Codec(String name, Framing framing, Function<Random, byte[]> packet) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Codec> codecs() {
        return Stream.of(
                new Codec("lengthPrefixed(2)", Framing.lengthPrefixed(2, MAX), r -> bytes(r, 1 + r.nextInt(MAX))),
                new Codec("lengthField 1 byte", Framing.lengthField(MAX).bytes(1).build(),
                        r -> bytes(r, 1 + r.nextInt(255))),
                new Codec("lengthField 3 bytes little-endian", Framing.lengthField(MAX).bytes(3)
                        .order(ByteOrder.LITTLE_ENDIAN).build(), r -> bytes(r, 1 + r.nextInt(MAX))),
                new Codec("lengthField 8 bytes counting itself", Framing.lengthField(MAX).bytes(8)
                        .adjustment(-8).build(), r -> bytes(r, 1 + r.nextInt(MAX))),
                new Codec("lengthField kept whole, offset 2", Framing.lengthField(MAX).offset(2).bytes(2)
                        .order(ByteOrder.LITTLE_ENDIAN).adjustment(-4).strip(0).build(), CodecSplitTest::ownHeader),
                new Codec("lines", Framing.lines(MAX), r -> text(r, r.nextInt(MAX + 1), "\n")),
                new Codec("delimited by 00 or ff ee", Framing.delimited(MAX, new byte[] {0}, new byte[] {-1, -18}),
                        r -> avoiding(r, r.nextInt(MAX + 1))),
                new Codec("fixedLength(7)", Framing.fixedLength(7), r -> bytes(r, 7)));
    }

    @AfterEach
    void leavesNoLeaseBehind() {
        assertEquals(0, pool.leasesOutstanding(), () -> "outstanding: " + pool.outstandingLeaseSites());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodesWhatItEncodesWhateverTheCuts(Codec codec) {
        Random random = new Random(codec.name().hashCode());
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            packets.add(codec.packet().apply(random));
        }
        byte[] stream = encode(codec.framing(), packets);
        Outcome whole = decode(codec.framing(), stream, new int[0]);
        assertPackets(packets, whole.packets, "whole");
        assertNull(whole.error);

        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, decode(codec.framing(), stream, everyByte), "one byte at a time");
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(whole, decode(codec.framing(), stream, new int[] {cut}), "cut at " + cut);
        }
        for (int round = 0; round < 1000; round++) {
            int[] cuts = randomCuts(random, stream.length);
            assertEquals(whole, decode(codec.framing(), stream, cuts), "cuts " + java.util.Arrays.toString(cuts));
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void garbageGivesTheSameOutcomeWhateverTheCutsAndHoldsOnlyWhatArrived(Codec codec) {
        Random random = new Random(~codec.name().hashCode());
        for (int round = 0; round < 300; round++) {
            byte[] garbage = bytes(random, 1 + random.nextInt(4 * MAX));
            if (round % 3 == 0) {
                // Runs of delimiter-like and header-like bytes, which plain random bytes rarely make.
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = (byte) new int[] {0, 1, 10, 13, -1, -18, 'a'}[random.nextInt(7)];
                }
            }
            Outcome whole = decode(codec.framing(), garbage, new int[0]);
            assertEquals(whole, decode(codec.framing(), garbage, randomCuts(random, garbage.length)),
                    "round " + round);
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void yieldsTheSamePacketsWhenTheSinkStopsAtRandom(Codec codec) {
        Random random = new Random(17);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            packets.add(codec.packet().apply(random));
        }
        byte[] stream = encode(codec.framing(), packets);
        for (int round = 0; round < 200; round++) {
            FrameDecoder decoder = codec.framing().newDecoder(pool);
            List<byte[]> seen = new ArrayList<>();
            int from = 0;
            for (int cut : append(randomCuts(random, stream.length), stream.length)) {
                ByteBuffer chunk = ByteBuffer.wrap(stream, from, cut - from).slice();
                while (chunk.hasRemaining()) {
                    assertNull(decoder.decode(chunk, frame -> {
                        seen.add(copy(frame));
                        return random.nextInt(3) != 0;
                    }));
                }
                from = cut;
            }
            decoder.release();
            assertPackets(packets, seen, "round " + round);
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void holdsNoMoreThanTheBytesThatArrivedRoundedToABuffer(Codec codec) {
        Random random = new Random(3);
        byte[] stream = encode(codec.framing(), List.of(longest(codec, random)));
        FrameDecoder decoder = codec.framing().newDecoder(pool);
        for (int i = 0; i < stream.length - 1; i++) {
            assertNull(decoder.decode(ByteBuffer.wrap(stream, i, 1), frame -> true));
            int arrived = i + 1;
            assertTrue(decoder.memoryHeld() <= Math.max(1024, 2 * arrived),
                    () -> "after " + arrived + " bytes: " + decoder.memoryHeld());
        }
        decoder.release();
        assertEquals(0, decoder.memoryHeld());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void aRefusedAllowanceStopsDecodingAndLeasesNothing(Codec codec) {
        Accumulator.Allowance refusing = new Accumulator.Allowance() {
            @Override
            public boolean take(long bytes, long held) {
                return false;
            }

            @Override
            public void give(long bytes) {
                throw new AssertionError("nothing was taken");
            }
        };
        byte[] stream = encode(codec.framing(), List.of(longest(codec, new Random(5))));
        long leasedBefore = pool.leasesTotal();
        FrameDecoder decoder = codec.framing().newDecoder(pool, refusing);
        List<byte[]> seen = new ArrayList<>();
        assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, stream.length - 1), frame -> seen.add(copy(frame))));
        assertTrue(decoder.memoryRefused());
        assertTrue(seen.isEmpty());
        assertNull(decoder.decode(ByteBuffer.wrap(stream, stream.length - 1, 1), frame -> seen.add(copy(frame))));
        assertTrue(seen.isEmpty(), "nothing is decoded after the refusal");
        assertEquals(leasedBefore, pool.leasesTotal());
        decoder.release();
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void givesBackAPartialPacketWhereverTheStreamBreaksOff(Codec codec) {
        Random random = new Random(11);
        byte[] stream = encode(codec.framing(), List.of(codec.packet().apply(random), longest(codec, random)));
        for (int end = 1; end < stream.length; end += 7) {
            FrameDecoder decoder = codec.framing().newDecoder(pool);
            decoder.decode(ByteBuffer.wrap(stream, 0, end), frame -> true);
            decoder.release();
            assertFalse(decoder.hasPartialFrame());
            assertEquals(0, pool.leasesOutstanding(), "broken off after " + end);
        }
    }

    // ---- helpers ----

    /** What decoding a stream gave: the packets, and the error that ended it, if any. */
    record Outcome(List<String> packets, FrameError error) {
    }

    private Outcome decode(Framing framing, byte[] stream, int[] cuts) {
        FrameDecoder decoder = framing.newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        FrameError error = null;
        int from = 0;
        for (int cut : append(cuts, stream.length)) {
            ByteBuffer chunk = ByteBuffer.wrap(stream, from, cut - from).slice();
            error = decoder.decode(chunk, frame -> seen.add(copy(frame)));
            if (error != null) {
                break;
            }
            assertFalse(chunk.hasRemaining(), "a sink that never stops gets every byte consumed");
            from = cut;
        }
        decoder.release();
        return new Outcome(seen.stream().map(java.util.HexFormat.of()::formatHex).toList(), error);
    }

    private byte[] encode(Framing framing, List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] packet : packets) {
            IoBuffer framed = framing.encode(pool, ByteBuffer.wrap(packet));
            ByteBuffer bytes = framed.byteBuffer();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(bytes.position(), copy);
            out.writeBytes(copy);
            framed.release();
        }
        return out.toByteArray();
    }

    private static byte[] longest(Codec codec, Random random) {
        byte[] best = codec.packet().apply(random);
        for (int i = 0; i < 200; i++) {
            byte[] next = codec.packet().apply(random);
            if (next.length > best.length) {
                best = next;
            }
        }
        return best;
    }

    private static void assertPackets(List<byte[]> expected, List<?> actual, String where) {
        List<String> want = expected.stream().map(java.util.HexFormat.of()::formatHex).toList();
        List<String> got = actual.stream()
                .map(p -> p instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : (String) p).toList();
        assertEquals(want, got, where);
    }

    private static int[] randomCuts(Random random, int length) {
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = 1 + random.nextInt(30);
        for (int i = 0; i < count; i++) {
            cuts.add(random.nextInt(length + 1));
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] append(int[] cuts, int last) {
        int[] all = java.util.Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = last;
        return all;
    }

    private static byte[] copy(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(frame.position(), bytes);
        return bytes;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Text without {@code forbidden}, with carriage returns anywhere but at the end (where one would join the ending). */
    private static byte[] text(Random random, int length, String forbidden) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b;
            do {
                b = (byte) (9 + random.nextInt(118));
            } while (forbidden.indexOf(b) >= 0 || b == '\r' && i == length - 1);
            bytes[i] = b;
        }
        return bytes;
    }

    /** Random bytes with neither delimiter, nor the ff that begins one. */
    private static byte[] avoiding(Random random, int length) {
        byte[] bytes = bytes(random, length);
        for (int i = 0; i < length; i++) {
            while (bytes[i] == 0 || bytes[i] == -1) {
                bytes[i] = (byte) random.nextInt(1, 255);
            }
        }
        return bytes;
    }

    /** A packet carrying its own header: 2 bytes of type, a little-endian 2-byte length of the whole packet. */
    private static byte[] ownHeader(Random random) {
        byte[] packet = bytes(random, 4 + random.nextInt(MAX - 3));
        packet[2] = (byte) packet.length;
        packet[3] = (byte) (packet.length >>> 8);
        return packet;
    }
}
