package io.iocp4j.proxy;

import io.iocp4j.CloseReason;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageContext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads one PROXY header from a trusted balancer, or makes sure an untrusted peer did not send one, then leaves the
 * path. A trusted connection's handler waits for the header (it must hear the client's address); an untrusted
 * one's does not, and only the first bytes are looked at.
 */
final class ProxyProtocolStage implements ByteStage {
    /** The bytes that begin a version 1 header and a version 2 one. */
    private static final byte[] V1_START = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_START = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final boolean trusted;
    private final Duration timeout;
    private ProxyHeaderParser parser;
    private Runnable cancelTimeout;
    /** Trusted peers: whether any byte came yet. */
    private boolean started;
    /** Untrusted peers: how many first bytes matched the start of each signature so far. */
    private int v1Matched;
    private int v2Matched;
    /** Untrusted peers: the first bytes, held while they could still be the start of a header. */
    private byte[] undecided;
    private boolean done;

    ProxyProtocolStage(boolean trusted, Duration timeout) {
        this.trusted = trusted;
        this.timeout = timeout;
    }

    @Override
    public void onOpen(StageContext context) {
        if (!trusted) {
            return;
        }
        parser = new ProxyHeaderParser();
        context.holdConnect();
        cancelTimeout = context.schedule(timeout, () -> refuse(context, new ProxyHeaderRefused(
                ProxyHeaderRefused.Cause.TIMEOUT, null, "no complete PROXY header within " + timeout)));
    }

    @Override
    public void inbound(StageContext context, ByteBuffer bytes) {
        if (done) {
            return;
        }
        if (trusted) {
            readHeader(context, bytes);
        } else {
            lookForAHeader(context, bytes);
        }
    }

    private void readHeader(StageContext context, ByteBuffer bytes) {
        if (!started) {
            started = true;
            if (!startsAHeader(bytes)) {
                refuse(context, new ProxyHeaderRefused(ProxyHeaderRefused.Cause.MISSING, null,
                        "a trusted source's connection began without a PROXY header"));
                return;
            }
        }
        switch (parser.feed(bytes)) {
            case NEED_MORE -> {
                // The rest of the header comes in the next bytes.
            }
            case FAILED -> refuse(context, new ProxyHeaderRefused(ProxyHeaderRefused.Cause.MALFORMED,
                    parser.error(), "malformed PROXY header: " + parser.errorMessage()));
            case DONE -> {
                ProxyHeader header = parser.header();
                done = true;
                cancelTimeout.run();
                context.connection().setAttr(ProxyProtocol.HEADER, header);
                if (header.hasAddresses() && !context.peerIs(header.source())) {
                    // Refused as the client it is (a ban, its address's limit): closed, never announced.
                    return;
                }
                context.releaseConnect();
                context.remove();
                if (bytes.hasRemaining()) {
                    context.passInbound(bytes);
                }
            }
        }
    }

    /** Whether the first byte of {@code bytes} can begin a header of either version. */
    private static boolean startsAHeader(ByteBuffer bytes) {
        byte first = bytes.get(bytes.position());
        return first == V1_START[0] || first == V2_START[0];
    }

    /**
     * An untrusted peer: its first bytes pass on once they cannot be a header's start; if they are one, the
     * connection ends. Bytes that may still be either are held (at most 11).
     */
    private void lookForAHeader(StageContext context, ByteBuffer bytes) {
        int start = bytes.position();
        int at = start;
        boolean v1 = v1Matched >= 0;
        boolean v2 = v2Matched >= 0;
        while (at < bytes.limit() && (v1 || v2)) {
            byte b = bytes.get(at++);
            if (v1) {
                v1 = b == V1_START[v1Matched];
                v1Matched = v1 ? v1Matched + 1 : -1;
            }
            if (v2) {
                v2 = b == V2_START[v2Matched];
                v2Matched = v2 ? v2Matched + 1 : -1;
            }
            if (v1Matched == V1_START.length || v2Matched == V2_START.length) {
                refuse(context, new ProxyHeaderRefused(ProxyHeaderRefused.Cause.UNTRUSTED_SOURCE, null,
                        "a PROXY header from " + context.connection().remoteAddress()
                                + ", which is not a trusted source"));
                return;
            }
        }
        if (v1 || v2) {
            // Still a possible header start: keep what came and wait for the next bytes.
            byte[] kept = new byte[(undecided == null ? 0 : undecided.length) + bytes.remaining()];
            if (undecided != null) {
                System.arraycopy(undecided, 0, kept, 0, undecided.length);
            }
            bytes.get(kept, kept.length - bytes.remaining(), bytes.remaining());
            undecided = kept;
            return;
        }
        done = true;
        context.remove();
        if (undecided != null) {
            context.passInbound(ByteBuffer.wrap(undecided));
            undecided = null;
        }
        context.passInbound(bytes);
    }

    private void refuse(StageContext context, ProxyHeaderRefused why) {
        if (done) {
            return;
        }
        done = true;
        if (cancelTimeout != null) {
            cancelTimeout.run();
        }
        context.close(CloseReason.PROTOCOL_ERROR, why);
    }

    @Override
    public void release() {
        if (cancelTimeout != null) {
            cancelTimeout.run();
        }
        undecided = null;
    }
}
