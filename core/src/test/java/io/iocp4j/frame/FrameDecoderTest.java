package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {
    private static final int MAX = 1000;
    /** Sizes chosen so that splits fall inside headers, inside bodies and between frames of every kind. */
    private static final int[] SIZES = {1, 1, 17, MAX, 1, 300, 2, MAX - 1, 64, 1, 3};

    private final BufferPool pool = new BufferPool(1 << 20, true);

    @AfterEach
    void leavesNoLeaseBehind() {
        assertEquals(0, pool.leasesOutstanding(), () -> "outstanding: " + pool.outstandingLeaseSites());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void yieldsTheSameFramesWhateverTheTwoWaySplit(int headerLength) {
        List<byte[]> frames = frames(new Random(1));
        byte[] stream = stream(headerLength, frames);
        for (int cut = 0; cut <= stream.length; cut++) {
            int at = cut;
            assertFramesEqual(frames, decodeInChunks(headerLength, stream, new int[] {cut}), () -> "cut at " + at);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void yieldsTheSameFramesWhateverTheManyWaySplit(int headerLength) {
        Random random = new Random(42);
        List<byte[]> frames = frames(random);
        byte[] stream = stream(headerLength, frames);
        for (int round = 0; round < 3000; round++) {
            TreeSet<Integer> cuts = new TreeSet<>();
            int count = 2 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                cuts.add(random.nextInt(stream.length + 1));
            }
            int[] points = cuts.stream().mapToInt(Integer::intValue).toArray();
            assertFramesEqual(frames, decodeInChunks(headerLength, stream, points), () -> "cuts " + cuts);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void yieldsTheSameFramesFedOneByteAtATime(int headerLength) {
        List<byte[]> frames = frames(new Random(7));
        byte[] stream = stream(headerLength, frames);
        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertFramesEqual(frames, decodeInChunks(headerLength, stream, everyByte), () -> "one byte at a time");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void handsOverWholeFramesAsViewsOfTheInputWithoutLeasing(int headerLength) {
        List<byte[]> frames = frames(new Random(3));
        byte[] stream = stream(headerLength, frames);
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        assertNull(decoder.decode(ByteBuffer.wrap(stream), frame -> {
            assertTrue(frame.hasArray(), "a whole frame is a view of the input");
            assertSame(stream, frame.array());
            seen.add(copy(frame));
            return true;
        }));
        assertFramesEqual(frames, seen, () -> "one input");
        assertEquals(0, pool.leasesTotal());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void acceptsAFrameOfExactlyTheMaximumLength(int headerLength) {
        byte[] body = randomBytes(new Random(5), MAX);
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        assertNull(decoder.decode(ByteBuffer.wrap(stream(headerLength, List.of(body))), collect(seen)));
        assertFramesEqual(List.of(body), seen, () -> "max length frame");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void rejectsALengthOfOneOverTheMaximumAsSoonAsTheHeaderIsComplete(int headerLength) {
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        ByteBuffer header = header(headerLength, MAX + 1);
        List<byte[]> seen = new ArrayList<>();
        assertEquals(FrameError.TOO_LARGE, decoder.decode(header, collect(seen)));
        assertFalse(header.hasRemaining());
        assertTrue(seen.isEmpty());
        assertEquals(0, pool.leasesTotal(), "nothing is leased for a frame that will never come");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void rejectsALengthOfOneOverTheMaximumWhenTheHeaderArrivesByteByByte(int headerLength) {
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        ByteBuffer header = header(headerLength, MAX + 1);
        List<byte[]> seen = new ArrayList<>();
        for (int i = 0; i < headerLength - 1; i++) {
            assertNull(decoder.decode(header.slice(i, 1), collect(seen)));
            assertTrue(decoder.hasPartialFrame());
        }
        assertEquals(FrameError.TOO_LARGE, decoder.decode(header.slice(headerLength - 1, 1), collect(seen)));
        assertTrue(seen.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void rejectsAnEmptyFrame(int headerLength) {
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        assertEquals(FrameError.EMPTY, decoder.decode(header(headerLength, 0), collect(seen)));
        assertTrue(seen.isEmpty());
    }

    @Test
    void rejectsAFourByteLengthWithTheTopBitSetEvenWithTheLargestLimit() {
        for (int length : new int[] {0x8000_0000, 0x8000_0001, 0xFFFF_FFFF}) {
            FrameDecoder whole = Framing.lengthPrefixed(4, Integer.MAX_VALUE).newDecoder(pool);
            assertEquals(FrameError.TOO_LARGE, whole.decode(header(4, length), frame -> true));

            FrameDecoder split = Framing.lengthPrefixed(4, Integer.MAX_VALUE).newDecoder(pool);
            ByteBuffer header = header(4, length);
            assertNull(split.decode(header.slice(0, 3), frame -> true));
            assertEquals(FrameError.TOO_LARGE, split.decode(header.slice(3, 1), frame -> true));
        }
        assertEquals(0, pool.leasesTotal());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void deliversTheFramesBeforeABadHeaderThenStaysFailedConsumingNothing(int headerLength) {
        byte[] good = {1, 2, 3};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(stream(headerLength, List.of(good)));
        bytes.writeBytes(header(headerLength, 0).array());
        bytes.writeBytes(stream(headerLength, List.of(good)));
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        ByteBuffer input = ByteBuffer.wrap(bytes.toByteArray());
        assertEquals(FrameError.EMPTY, decoder.decode(input, collect(seen)));
        assertFramesEqual(List.of(good), seen, () -> "frames before the error");
        assertEquals(2 * headerLength + good.length, input.position());

        for (int attempt = 0; attempt < 3; attempt++) {
            int before = input.position();
            assertEquals(FrameError.EMPTY, decoder.decode(input, collect(seen)));
            assertEquals(before, input.position());
            ByteBuffer fresh = ByteBuffer.wrap(stream(headerLength, List.of(good)));
            assertEquals(FrameError.EMPTY, decoder.decode(fresh, collect(seen)));
            assertEquals(0, fresh.position());
        }
        assertEquals(1, seen.size(), "no frame is delivered after the error");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void stopsDeliveringWhenTheSinkSaysSoAndResumesWhereItStopped(int headerLength) {
        List<byte[]> frames = List.of(new byte[] {1}, new byte[] {2, 2}, new byte[] {3, 3, 3});
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        ByteBuffer input = ByteBuffer.wrap(stream(headerLength, frames));
        List<byte[]> seen = new ArrayList<>();
        FrameDecoder.FrameSink oneAtATime = frame -> {
            seen.add(copy(frame));
            return false;
        };
        assertNull(decoder.decode(input, oneAtATime));
        assertEquals(1, seen.size());
        assertEquals(headerLength + 1, input.position(), "the bytes after the stopping frame are left unread");
        assertNull(decoder.decode(input, oneAtATime));
        assertEquals(2, seen.size());
        assertNull(decoder.decode(input, oneAtATime));
        assertFramesEqual(frames, seen, () -> "resumed one frame at a time");
        assertFalse(input.hasRemaining());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void stopsAfterAGatheredFrameWhenTheSinkSaysSo(int headerLength) {
        List<byte[]> frames = List.of(new byte[] {1, 1, 1, 1}, new byte[] {2, 2});
        byte[] stream = stream(headerLength, frames);
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        FrameDecoder.FrameSink stopping = frame -> {
            seen.add(copy(frame));
            return false;
        };
        assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, headerLength + 2), stopping));
        ByteBuffer rest = ByteBuffer.wrap(stream, headerLength + 2, stream.length - headerLength - 2);
        assertNull(decoder.decode(rest, stopping));
        assertEquals(1, seen.size());
        assertEquals(headerLength + 4, rest.position());
        assertFalse(decoder.hasPartialFrame());
        assertNull(decoder.decode(rest, stopping));
        assertFramesEqual(frames, seen, () -> "gathered then whole");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void holdsAPartialFrameMidHeaderAndMidBodyUntilReleased(int headerLength) {
        byte[] stream = stream(headerLength, List.of(new byte[] {9, 8, 7, 6, 5}));
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        assertFalse(decoder.hasPartialFrame());

        assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, 1), collect(seen)));
        assertTrue(decoder.hasPartialFrame(), "mid-header");
        decoder.release();
        assertFalse(decoder.hasPartialFrame());

        assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, headerLength + 2), collect(seen)));
        assertTrue(decoder.hasPartialFrame(), "mid-body");
        assertEquals(1, pool.leasesOutstanding());
        decoder.release();
        assertFalse(decoder.hasPartialFrame());
        assertEquals(0, pool.leasesOutstanding());

        assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, headerLength + 2), collect(seen)));
        assertNull(decoder.decode(ByteBuffer.wrap(stream, headerLength + 2, 3), collect(seen)));
        assertFalse(decoder.hasPartialFrame());
        assertFramesEqual(List.of(new byte[] {9, 8, 7, 6, 5}), seen, () -> "after release, from a clean state");
    }

    @Test
    void framingWithoutAHeaderHasNoDecoder() {
        assertNull(Framing.none().newDecoder(pool), "each chunk received is a packet as it is");
    }

    /** The layout is big-endian; how the caller's buffer happens to be ordered must not change what is read. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void readsTheLengthBigEndianWhateverTheInputsByteOrder(int headerLength) {
        List<byte[]> frames = List.of(new byte[] {1}, new byte[] {2, 2, 2});
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        ByteBuffer input = ByteBuffer.wrap(stream(headerLength, frames)).order(ByteOrder.LITTLE_ENDIAN);
        assertNull(decoder.decode(input, collect(seen)));
        decoder.release();
        assertFramesEqual(frames, seen, () -> "little-endian input buffer");
    }

    /**
     * The stream is cut off after every possible byte. What the decoder holds then depends only on where the cut
     * fell: nothing on a frame boundary, header bytes alone mid-header, one lease once a header is complete and
     * its body is not. Releasing gives the lease back and leaves a decoder that reads a whole stream again.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void givesBackWhatItHoldsWhereverTheStreamBreaksOff(int headerLength) {
        List<byte[]> frames = frames(new Random(13));
        byte[] stream = stream(headerLength, frames);
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        for (int cut = 0; cut <= stream.length; cut++) {
            List<byte[]> seen = new ArrayList<>();
            ByteBuffer prefix = ByteBuffer.wrap(stream, 0, cut);
            assertNull(decoder.decode(prefix, collect(seen)));
            assertFalse(prefix.hasRemaining());

            int whole = 0;
            int frameStart = 0;
            while (whole < frames.size() && frameStart + headerLength + frames.get(whole).length <= cut) {
                frameStart += headerLength + frames.get(whole).length;
                whole++;
            }
            int into = cut - frameStart;
            int at = cut;
            assertFramesEqual(frames.subList(0, whole), seen, () -> "cut at " + at);
            assertEquals(into > 0, decoder.hasPartialFrame(), () -> "cut at " + at + ", " + into + " bytes in");
            // Memory is taken when the first bytes of a body arrive, not when its header announces it.
            assertEquals(into > headerLength ? 1 : 0, pool.leasesOutstanding(),
                    () -> "cut at " + at + ", " + into + " bytes in");

            decoder.release();
            assertEquals(0, pool.leasesOutstanding(), () -> "cut at " + at + " after release");
            assertFalse(decoder.hasPartialFrame());
        }
        List<byte[]> again = new ArrayList<>();
        assertNull(decoder.decode(ByteBuffer.wrap(stream), collect(again)));
        assertFramesEqual(frames, again, () -> "after all the releases");
    }

    /** A 2-byte length of 0x8000 or more would be negative if read as a signed short. */
    @Test
    void readsATwoByteLengthAsUnsignedUpToTheLargestItCanHold() {
        List<byte[]> frames = new ArrayList<>();
        Random random = new Random(19);
        for (int size : new int[] {0x8000, 1, 0xFFFF, 0x7FFF, 0x8001, 0xFF, 0x100}) {
            frames.add(randomBytes(random, size));
        }
        byte[] stream = stream(2, frames);
        FrameDecoder decoder = Framing.lengthPrefixed(2, 0xFFFF).newDecoder(pool);
        List<byte[]> whole = new ArrayList<>();
        assertNull(decoder.decode(ByteBuffer.wrap(stream), collect(whole)));
        assertFramesEqual(frames, whole, () -> "one input");

        List<byte[]> byteByByte = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            assertNull(decoder.decode(ByteBuffer.wrap(stream, i, 1), collect(byteByByte)));
        }
        assertFalse(decoder.hasPartialFrame());
        assertFramesEqual(frames, byteByByte, () -> "one byte at a time");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void rejectsAnOversizedHeaderWithoutTouchingTheBodyBytesThatFollowIt(int headerLength) {
        byte[] header = header(headerLength, MAX + 1).array();
        byte[] input = new byte[headerLength + 50];
        System.arraycopy(header, 0, input, 0, headerLength);
        List<byte[]> seen = new ArrayList<>();

        FrameDecoder whole = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        ByteBuffer all = ByteBuffer.wrap(input);
        assertEquals(FrameError.TOO_LARGE, whole.decode(all, collect(seen)));
        assertEquals(headerLength, all.position(), "stops right after the header");
        assertEquals(FrameError.TOO_LARGE, whole.decode(all, collect(seen)));
        assertEquals(headerLength, all.position(), "a failed decoder consumes nothing");

        // The last header byte arrives together with body bytes, the others one by one before it.
        FrameDecoder split = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        for (int i = 0; i < headerLength - 1; i++) {
            assertNull(split.decode(ByteBuffer.wrap(input, i, 1), collect(seen)));
        }
        ByteBuffer rest = ByteBuffer.wrap(input, headerLength - 1, input.length - headerLength + 1);
        assertEquals(FrameError.TOO_LARGE, split.decode(rest, collect(seen)));
        assertEquals(headerLength, rest.position());
        assertFalse(split.hasPartialFrame());

        assertTrue(seen.isEmpty());
        assertEquals(0, pool.leasesTotal(), "nothing is leased for a frame that will never come");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void leavesItsStateAloneWhenGivenNoBytes(int headerLength) {
        byte[] stream = stream(headerLength, List.of(new byte[] {4, 5, 6}));
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        for (int cut = 0; cut <= stream.length; cut++) {
            assertNull(decoder.decode(ByteBuffer.wrap(stream, 0, cut), collect(seen)));
            boolean partial = decoder.hasPartialFrame();
            assertNull(decoder.decode(ByteBuffer.allocate(0), collect(seen)));
            assertEquals(partial, decoder.hasPartialFrame());
            assertNull(decoder.decode(ByteBuffer.wrap(stream, cut, stream.length - cut), collect(seen)));
            assertFalse(decoder.hasPartialFrame());
        }
        assertEquals(stream.length + 1, seen.size());
    }

    /**
     * The sink says stop at random while the input is split at random; the caller resumes with what is left.
     * Each call must deliver nothing after the frame that said stop, and the frames must still all arrive.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void yieldsTheSameFramesWhenTheSinkStopsAtRandom(int headerLength) {
        Random random = new Random(23);
        List<byte[]> frames = frames(random);
        byte[] stream = stream(headerLength, frames);
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        for (int round = 0; round < 500; round++) {
            List<byte[]> seen = new ArrayList<>();
            boolean[] stopped = new boolean[1];
            FrameDecoder.FrameSink sink = frame -> {
                assertFalse(stopped[0], "a frame delivered after the sink said stop");
                seen.add(copy(frame));
                stopped[0] = random.nextInt(3) == 0;
                return !stopped[0];
            };
            int from = 0;
            while (from < stream.length) {
                int to = Math.min(stream.length, from + 1 + random.nextInt(2 * MAX));
                ByteBuffer chunk = ByteBuffer.wrap(stream, from, to - from);
                while (chunk.hasRemaining()) {
                    stopped[0] = false;
                    assertNull(decoder.decode(chunk, sink));
                    assertTrue(stopped[0] || !chunk.hasRemaining(), "returned early without being told to");
                }
                from = to;
            }
            assertFalse(decoder.hasPartialFrame());
            int r = round;
            assertFramesEqual(frames, seen, () -> "round " + r);
        }
    }

    private List<byte[]> decodeInChunks(int headerLength, byte[] stream, int[] cuts) {
        FrameDecoder decoder = Framing.lengthPrefixed(headerLength, MAX).newDecoder(pool);
        List<byte[]> seen = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            // Wrapped in place, so the decoder sees a non-zero position and a limit short of the capacity.
            ByteBuffer chunk = ByteBuffer.wrap(stream, from, to - from);
            assertNull(decoder.decode(chunk, collect(seen)));
            assertFalse(chunk.hasRemaining());
            from = to;
        }
        assertFalse(decoder.hasPartialFrame());
        return seen;
    }

    private static FrameDecoder.FrameSink collect(List<byte[]> seen) {
        return frame -> {
            seen.add(copy(frame));
            return true;
        };
    }

    private static byte[] copy(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        return bytes;
    }

    private static List<byte[]> frames(Random random) {
        List<byte[]> frames = new ArrayList<>();
        for (int size : SIZES) {
            frames.add(randomBytes(random, size));
        }
        return frames;
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] stream(int headerLength, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(header(headerLength, frame.length).array());
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static ByteBuffer header(int headerLength, int length) {
        ByteBuffer header = ByteBuffer.allocate(headerLength);
        if (headerLength == 4) {
            header.putInt(length);
        } else {
            header.putShort((short) length);
        }
        return header.flip();
    }

    @Test
    void aHeaderAnnouncingTheLargestFrameHoldsOnlyTheBytesThatFollowedIt() {
        FrameDecoder decoder = Framing.lengthPrefixed(4, 16 << 20).newDecoder(pool);
        ByteBuffer start = ByteBuffer.allocate(4 + 10).putInt(0, 16 << 20);
        assertNull(decoder.decode(start, frame -> true));
        assertTrue(decoder.hasPartialFrame());
        assertTrue(decoder.memoryHeld() <= 512, "held " + decoder.memoryHeld() + " bytes for 10 received");
        decoder.release();
    }

    @Test
    void aPartialFrameWhoseMemoryIsRefusedStopsDecodingForGood() {
        io.iocp4j.buffer.Accumulator.Allowance none = new io.iocp4j.buffer.Accumulator.Allowance() {
            @Override
            public boolean take(long bytes, long held) {
                return false;
            }

            @Override
            public void give(long bytes) {
                throw new AssertionError("nothing was charged");
            }
        };
        FrameDecoder decoder = Framing.lengthPrefixed(4, MAX).newDecoder(pool, none);
        List<byte[]> seen = new ArrayList<>();
        ByteBuffer input = ByteBuffer.wrap(stream(4, List.of(new byte[] {1}, new byte[] {2, 2, 2})));
        input.limit(4 + 1 + 4 + 2);
        assertNull(decoder.decode(input, collect(seen)));
        assertEquals(1, seen.size(), "the whole frame before it was handed over as a view");
        assertTrue(decoder.memoryRefused());
        assertNull(decoder.decode(ByteBuffer.wrap(new byte[] {2}), collect(seen)));
        assertEquals(1, seen.size());
        assertEquals(0, pool.leasesTotal());
        decoder.release();
    }

    private static void assertFramesEqual(List<byte[]> expected, List<byte[]> actual,
                                          Supplier<String> where) {
        assertEquals(expected.size(), actual.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            int index = i;
            assertArrayEquals(expected.get(i), actual.get(i), () -> where.get() + ", frame " + index);
        }
    }
}
