package io.iocp4j.proxy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads one PROXY protocol header, version 1 or 2, from bytes fed as they arrive. It takes from each buffer only
 * the header's bytes and leaves whatever follows (the client's own first bytes) in the buffer, at its position.
 * It holds no more than the header: a version 1 line of at most 107 bytes, or a version 2 header of 16 bytes and
 * its length, which may not exceed the address block by more than the TLV bytes allowed. It copies what it holds
 * once, and makes objects only for the finished header.
 *
 * <p>One parser reads one header; not thread-safe (a connection's bytes arrive on one thread).
 */
public final class ProxyHeaderParser {
    /** What {@link #feed} reached. */
    public enum Status {
        /** The header is not complete: feed it more. */
        NEED_MORE,
        /** The header is read ({@link #header()}); the buffer's remaining bytes are the client's. */
        DONE,
        /** The bytes are not a header this parser accepts ({@link #error()}, {@link #errorMessage()}). */
        FAILED
    }

    /** TLV bytes a version 2 header may carry by default, past its addresses. */
    public static final int DEFAULT_MAX_TLV_BYTES = 4096;
    /** The most a version 2 length field can say, less the largest address block. */
    public static final int MAX_TLV_BYTES_LIMIT = 0xFFFF - 216;

    private final int maxTlvBytes;
    /** The header's bytes so far. Large enough for a version 1 line or a version 2 fixed part; grown once. */
    private byte[] held = new byte[V1Line.MAX_BYTES];
    private int heldLength;
    /** 0 until the first byte tells, then 1 or 2. */
    private int version;
    /** A version 2 header's whole length, once its fixed part is in; else 0. */
    private int v2Total;
    private Status status = Status.NEED_MORE;
    private ProxyHeader header;
    private ProxyHeaderError error;
    private String errorMessage;

    /** A parser that allows {@value #DEFAULT_MAX_TLV_BYTES} bytes of TLVs. */
    public ProxyHeaderParser() {
        this(DEFAULT_MAX_TLV_BYTES);
    }

    /** @throws IllegalArgumentException when {@code maxTlvBytes} is negative or over {@link #MAX_TLV_BYTES_LIMIT} */
    public ProxyHeaderParser(int maxTlvBytes) {
        if (maxTlvBytes < 0 || maxTlvBytes > MAX_TLV_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxTlvBytes=" + maxTlvBytes + " (0 to " + MAX_TLV_BYTES_LIMIT + ")");
        }
        this.maxTlvBytes = maxTlvBytes;
    }

    /**
     * Takes the header's bytes from {@code in}, from its position on, and says whether the header is complete.
     * On {@link Status#DONE} the position is just past the header; on {@link Status#FAILED} it is somewhere in it.
     *
     * @throws IllegalStateException when the parser has already finished, either way
     */
    public Status feed(ByteBuffer in) {
        if (status != Status.NEED_MORE) {
            throw new IllegalStateException("status=" + status + ": this parser has read its one header");
        }
        try {
            while (status == Status.NEED_MORE && in.hasRemaining()) {
                if (version == 0) {
                    version = versionOf(in.get(in.position()));
                } else if (version == 1) {
                    takeV1Byte(in.get());
                } else {
                    takeV2Bytes(in);
                }
            }
        } catch (MalformedHeader malformed) {
            status = Status.FAILED;
            error = malformed.reason();
            errorMessage = malformed.getMessage();
            held = null;
        }
        return status;
    }

    private static int versionOf(byte first) {
        if (first == V1Line.PREFIX[0]) {
            return 1;
        }
        if (first == V2Header.SIGNATURE[0]) {
            return 2;
        }
        throw new MalformedHeader(ProxyHeaderError.BAD_SIGNATURE, String.format("the first byte 0x%02x starts "
                + "neither \"PROXY \" nor the version 2 signature", first & 0xFF));
    }

    /** Byte at a time: the line ends at its LF, and the client's bytes may follow in the same buffer. */
    private void takeV1Byte(byte b) {
        int at = heldLength;
        held[heldLength++] = b;
        if (at < V1Line.PREFIX.length && b != V1Line.PREFIX[at]) {
            throw new MalformedHeader(ProxyHeaderError.BAD_SIGNATURE, "the first bytes are not \"PROXY \"");
        }
        if (at > 0 && held[at - 1] == '\r' && b != '\n') {
            throw new MalformedHeader(ProxyHeaderError.V1_MISSING_CRLF, "a CR not followed by LF at byte " + at
                    + " of the version 1 line");
        }
        if (b == '\n') {
            finish(V1Line.parse(held, heldLength));
        } else if (heldLength == V1Line.MAX_BYTES) {
            throw new MalformedHeader(ProxyHeaderError.V1_TOO_LONG, "no CRLF within the " + V1Line.MAX_BYTES
                    + " bytes a version 1 line may have");
        }
    }

    /** In runs: first the fixed 16 bytes, then exactly the length they announce. */
    private void takeV2Bytes(ByteBuffer in) {
        int wanted = v2Total == 0 ? V2Header.FIXED_BYTES : v2Total;
        int count = Math.min(in.remaining(), wanted - heldLength);
        int from = heldLength;
        in.get(held, heldLength, count);
        heldLength += count;
        for (int at = from; at < Math.min(heldLength, V2Header.SIGNATURE.length); at++) {
            if (held[at] != V2Header.SIGNATURE[at]) {
                throw new MalformedHeader(ProxyHeaderError.BAD_SIGNATURE, "byte " + at + " differs from the "
                        + "version 2 signature");
            }
        }
        if (heldLength < wanted) {
            return;
        }
        if (v2Total == 0) {
            v2Total = V2Header.totalLength(held, maxTlvBytes);
            if (v2Total > held.length) {
                held = Arrays.copyOf(held, v2Total);
            }
        }
        if (heldLength == v2Total) {
            finish(V2Header.parse(held, v2Total));
        }
    }

    private void finish(ProxyHeader parsed) {
        header = parsed;
        status = Status.DONE;
        held = null;
    }

    public Status status() {
        return status;
    }

    /** The header, once {@link Status#DONE}; else null. */
    public ProxyHeader header() {
        return header;
    }

    /** Why the bytes were refused, once {@link Status#FAILED}; else null. */
    public ProxyHeaderError error() {
        return error;
    }

    /** What was wrong, in words, once {@link Status#FAILED}; else null. */
    public String errorMessage() {
        return errorMessage;
    }
}
