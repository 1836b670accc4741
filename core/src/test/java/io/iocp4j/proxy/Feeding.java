package io.iocp4j.proxy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Feeds bytes to a fresh parser in every way a network could deliver them: all at once, one byte at a time, and
 * cut at random places (seeded, many rounds), and checks that each way ends the same.
 */
final class Feeding {
    static final int RANDOM_ROUNDS = 2_000;
    static final byte[] PAYLOAD = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Feeding() {
    }

    /** Reads {@code header} followed by {@link #PAYLOAD} every way; the payload is always left as it was. */
    static ProxyHeader reads(byte[] header) {
        return reads(header, ProxyHeaderParser.DEFAULT_MAX_TLV_BYTES);
    }

    static ProxyHeader reads(byte[] header, int maxTlvBytes) {
        byte[] stream = concat(header, PAYLOAD);
        ProxyHeader whole = readOnce(stream, header.length, List.of(stream.length), maxTlvBytes);
        ProxyHeader oneByte = readOnce(stream, header.length, ones(stream.length), maxTlvBytes);
        assertSame(whole, oneByte);
        Random random = new Random(header.length * 31L + stream[stream.length / 3]);
        for (int round = 0; round < RANDOM_ROUNDS; round++) {
            assertSame(whole, readOnce(stream, header.length, randomCuts(stream.length, random), maxTlvBytes));
        }
        return whole;
    }

    /** Feeds {@code bytes} every way; each must fail for the same reason, which is returned. */
    static ProxyHeaderError refuses(byte[] bytes) {
        return refuses(bytes, ProxyHeaderParser.DEFAULT_MAX_TLV_BYTES);
    }

    static ProxyHeaderError refuses(byte[] bytes, int maxTlvBytes) {
        ProxyHeaderParser whole = failOnce(bytes, List.of(bytes.length), maxTlvBytes);
        assertEquals(whole.error(), failOnce(bytes, ones(bytes.length), maxTlvBytes).error());
        Random random = new Random(bytes.length);
        for (int round = 0; round < RANDOM_ROUNDS / 10; round++) {
            assertEquals(whole.error(), failOnce(bytes, randomCuts(bytes.length, random), maxTlvBytes).error());
        }
        assertNotNull(whole.errorMessage());
        assertNull(whole.header());
        return whole.error();
    }

    private static ProxyHeader readOnce(byte[] stream, int headerLength, List<Integer> pieces, int maxTlvBytes) {
        ProxyHeaderParser parser = new ProxyHeaderParser(maxTlvBytes);
        int at = 0;
        for (int piece : pieces) {
            ByteBuffer buffer = ByteBuffer.wrap(stream, at, piece);
            ProxyHeaderParser.Status status = parser.feed(buffer);
            if (status == ProxyHeaderParser.Status.DONE) {
                assertEquals(headerLength, buffer.position(), "the parser took exactly the header's bytes");
                assertEquals(at + piece, buffer.limit());
                assertArrayEquals(PAYLOAD, Arrays.copyOfRange(stream, headerLength, stream.length));
                assertNull(parser.error());
                return parser.header();
            }
            assertEquals(ProxyHeaderParser.Status.NEED_MORE, status, () -> parser.errorMessage());
            assertEquals(at + piece, buffer.position(), "a piece inside the header is taken whole");
            at += piece;
        }
        throw new AssertionError("the header was never complete");
    }

    private static ProxyHeaderParser failOnce(byte[] bytes, List<Integer> pieces, int maxTlvBytes) {
        ProxyHeaderParser parser = new ProxyHeaderParser(maxTlvBytes);
        int at = 0;
        for (int piece : pieces) {
            ProxyHeaderParser.Status status = parser.feed(ByteBuffer.wrap(bytes, at, piece));
            if (status == ProxyHeaderParser.Status.FAILED) {
                return parser;
            }
            assertEquals(ProxyHeaderParser.Status.NEED_MORE, status, "the bad header was accepted");
            at += piece;
        }
        throw new AssertionError("the bad header was neither refused nor accepted: still "
                + parser.status() + " after all " + bytes.length + " bytes");
    }

    /** Two results read from the same bytes are equal in everything a caller can see. */
    private static void assertSame(ProxyHeader expected, ProxyHeader actual) {
        assertEquals(expected.toString(), actual.toString());
        assertEquals(expected.source(), actual.source());
        assertEquals(expected.destination(), actual.destination());
        assertEquals(expected.tlvs(), actual.tlvs());
    }

    private static List<Integer> ones(int length) {
        List<Integer> pieces = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            pieces.add(1);
        }
        return pieces;
    }

    /** Pieces of 1 to a few bytes, sometimes empty ones too (a read that brought nothing new). */
    private static List<Integer> randomCuts(int length, Random random) {
        List<Integer> pieces = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int piece = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(Math.min(left, 1 + random.nextInt(40)));
            pieces.add(Math.min(piece, left));
            left -= Math.min(piece, left);
        }
        return pieces;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
