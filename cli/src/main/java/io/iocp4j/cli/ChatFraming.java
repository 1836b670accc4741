package io.iocp4j.cli;

import io.iocp4j.buffer.Accumulator;
import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.Framing;

import java.nio.ByteBuffer;

/**
 * The chat port's lines: a client's line may be up to the limit, and the line the others receive may be longer by
 * the sender's name in front of it. Decoding is the plain line codec with the limit; encoding allows the room a
 * name takes.
 */
final class ChatFraming implements Framing {
    /** A name of up to 32 characters of up to 4 bytes each, and the ": " after it. */
    static final int NAME_ROOM = 32 * 4 + 2;

    private final int maxLine;
    private final Framing incoming;
    private final Framing outgoing;

    ChatFraming(int maxLine) {
        this.maxLine = maxLine;
        this.incoming = Framing.lines(maxLine);
        this.outgoing = Framing.lines(maxLine + NAME_ROOM);
    }

    @Override
    public FrameDecoder newDecoder(BufferPool pool, Accumulator.Allowance allowance) {
        return incoming.newDecoder(pool, allowance);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer packet) {
        return outgoing.encode(pool, packet);
    }

    @Override
    public IoBuffer encode(BufferPool pool, ByteBuffer... parts) {
        return outgoing.encode(pool, parts);
    }

    @Override
    public int maxFrameLength() {
        return maxLine;
    }
}
