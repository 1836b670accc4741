package io.iocp4j.frame;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest {
    private static final int MAX = 5000;

    private final BufferPool pool = new BufferPool(1 << 20, true);

    @AfterEach
    void leavesNoLeaseBehind() {
        assertEquals(0, pool.leasesOutstanding(), () -> "outstanding: " + pool.outstandingLeaseSites());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void roundTripsThroughTheDecoder(int headerLength) {
        Framing framing = Framing.lengthPrefixed(headerLength, MAX);
        Random random = new Random(11);
        List<byte[]> sent = new ArrayList<>();
        ByteBuffer wire = ByteBuffer.allocate(64 * (MAX + headerLength));
        for (int size : new int[] {1, MAX, 2, 63, 64, 65, 1000, 1}) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            sent.add(payload);
            IoBuffer encoded = FrameEncoder.encode(pool, framing, ByteBuffer.wrap(payload));
            assertEquals(headerLength + size, encoded.byteBuffer().remaining());
            wire.put(encoded.byteBuffer());
            assertTrue(encoded.release());
        }
        wire.flip();

        List<byte[]> received = new ArrayList<>();
        FrameDecoder decoder = framing.newDecoder(pool);
        assertNull(decoder.decode(wire, frame -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            received.add(bytes);
            return true;
        }));
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
        }
    }

    /**
     * Payloads cut into random parts (empty parts included, some direct, some at an offset) come out of the
     * decoder whole, whatever the split of the wire.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void roundTripsPayloadsEncodedInRandomPartsThroughRandomSplits(int headerLength) {
        Framing framing = Framing.lengthPrefixed(headerLength, MAX);
        Random random = new Random(29);
        FrameDecoder decoder = framing.newDecoder(pool);
        for (int round = 0; round < 200; round++) {
            List<byte[]> sent = new ArrayList<>();
            ByteBuffer wire = ByteBuffer.allocate(20 * (MAX + headerLength));
            int frames = 1 + random.nextInt(20);
            for (int f = 0; f < frames; f++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? MAX : 1 + random.nextInt(MAX)];
                random.nextBytes(payload);
                sent.add(payload);
                IoBuffer encoded = FrameEncoder.encode(pool, framing, parts(random, payload));
                wire.put(encoded.byteBuffer());
                assertTrue(encoded.release());
            }
            wire.flip();

            List<byte[]> received = new ArrayList<>();
            while (wire.hasRemaining()) {
                int take = Math.min(wire.remaining(), 1 + random.nextInt(MAX));
                ByteBuffer chunk = wire.slice(wire.position(), take);
                assertNull(decoder.decode(chunk, frame -> {
                    byte[] bytes = new byte[frame.remaining()];
                    frame.get(bytes);
                    received.add(bytes);
                    return true;
                }));
                wire.position(wire.position() + take);
            }
            assertEquals(sent.size(), received.size(), "round " + round);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "round " + round + ", frame " + i);
            }
        }
    }

    private static ByteBuffer[] parts(Random random, byte[] payload) {
        List<ByteBuffer> parts = new ArrayList<>();
        int from = 0;
        while (from < payload.length) {
            int length = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(payload.length - from);
            ByteBuffer part;
            if (random.nextBoolean()) {
                part = ByteBuffer.allocateDirect(length + 3).position(3);
                part.put(part.position(), payload, from, length);
                part.limit(3 + length);
            } else {
                part = ByteBuffer.wrap(payload, from, length);
            }
            parts.add(part);
            from += length;
        }
        return parts.toArray(ByteBuffer[]::new);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void writesTheLengthBigEndianBeforeThePayload(int headerLength) {
        IoBuffer encoded = FrameEncoder.encode(pool, Framing.lengthPrefixed(headerLength, MAX),
                ByteBuffer.wrap(new byte[0x0102]));
        byte[] bytes = remaining(encoded);
        byte[] expectedHeader = headerLength == 4 ? new byte[] {0, 0, 1, 2} : new byte[] {1, 2};
        for (int i = 0; i < headerLength; i++) {
            assertEquals(expectedHeader[i], bytes[i], "header byte " + i);
        }
        encoded.release();
    }

    @Test
    void joinsThePartsInOrderAsOneFrameLeavingTheirPositionsAlone() {
        ByteBuffer first = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3});
        first.position(2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer second = ByteBuffer.allocateDirect(4).put(new byte[] {4, 5, 6, 7}).flip();
        second.limit(3);

        IoBuffer encoded = FrameEncoder.encode(pool, Framing.lengthPrefixed(2, MAX), first, empty, second);
        assertArrayEquals(new byte[] {0, 6, 1, 2, 3, 4, 5, 6}, remaining(encoded));
        assertEquals(2, first.position());
        assertEquals(0, second.position());
        assertEquals(3, second.limit());
        encoded.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void acceptsAPayloadOfExactlyTheMaximumSpreadOverParts(int headerLength) {
        Framing framing = Framing.lengthPrefixed(headerLength, MAX);
        IoBuffer encoded = FrameEncoder.encode(pool, framing,
                ByteBuffer.allocate(MAX - 1), ByteBuffer.allocate(1));
        assertEquals(headerLength + MAX, encoded.byteBuffer().remaining());
        encoded.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void refusesAnEmptyPayload(int headerLength) {
        Framing framing = Framing.lengthPrefixed(headerLength, MAX);
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(pool, framing));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode(pool, framing, ByteBuffer.allocate(0), ByteBuffer.allocate(0)));
        assertEquals(0, pool.leasesTotal());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void refusesAPayloadOverTheMaximum(int headerLength) {
        Framing framing = Framing.lengthPrefixed(headerLength, MAX);
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode(pool, framing, ByteBuffer.allocate(MAX + 1)));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode(pool, framing, ByteBuffer.allocate(MAX), ByteBuffer.allocate(1)));
        assertEquals(0, pool.leasesTotal());
    }

    @Test
    void copiesTheBytesAsTheyAreWithoutFraming() {
        ByteBuffer raw = ByteBuffer.wrap(new byte[] {7, 6, 5, 4, 3});
        IoBuffer encoded = FrameEncoder.encode(pool, Framing.none(), raw, ByteBuffer.wrap(new byte[] {2}));
        assertArrayEquals(new byte[] {7, 6, 5, 4, 3, 2}, remaining(encoded));
        assertEquals(0, raw.position());
        encoded.release();
    }

    /** A pooled buffer may come back from a holder that switched it to little-endian; the header must not care. */
    @Test
    void writesTheHeaderBigEndianEvenIntoABufferLastUsedLittleEndian() {
        // No spare room in the free lists: the next lease of this size class is the buffer released here.
        BufferPool small = new BufferPool(0, false);
        IoBuffer previous = small.lease(100_000);
        previous.byteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        previous.release();

        IoBuffer encoded = FrameEncoder.encode(small, Framing.lengthPrefixed(4, 1 << 20),
                ByteBuffer.allocate(70_000));
        byte[] header = new byte[4];
        encoded.byteBuffer().get(0, header);
        encoded.release();
        assertArrayEquals(new byte[] {0, 1, 0x11, 0x70}, header, "70000 = 0x00011170, big-endian");
    }

    @Test
    void framingAcceptsOnlyHeadersOfNoneTwoOrFourBytes() {
        for (int headerLength : new int[] {-1, 1, 3, 5, 8}) {
            assertThrows(IllegalArgumentException.class, () -> Framing.lengthPrefixed(headerLength, 100),
                    "headerLength=" + headerLength);
        }
        for (int headerLength : new int[] {2, 4}) {
            assertDoesNotThrow(() -> Framing.lengthPrefixed(headerLength, 100));
        }
        assertFalse(Framing.none().isFramed());
    }

    @Test
    void framingRefusesAMaximumThatATwoByteHeaderCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthPrefixed(2, 0x1_0000));
        assertEquals(0xFFFF, Framing.lengthPrefixed(2, 0xFFFF).maxFrameLength());
        assertEquals(0x1_0000, Framing.lengthPrefixed(4, 0x1_0000).maxFrameLength());
    }

    @Test
    void framingRefusesAMaximumBelowOneByte() {
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthPrefixed(2, 0));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthPrefixed(4, -1));
    }

    private static byte[] remaining(IoBuffer buffer) {
        ByteBuffer view = buffer.byteBuffer().duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
