package io.iocp4j.proxy;

import java.net.ProtocolException;

/**
 * Why a connection that should have begun with a PROXY protocol header, or should not have, was ended: what the
 * handler hears in {@code onError} before the connection closes with {@code CloseReason.PROTOCOL_ERROR}. Without a
 * stack trace: it is the peer's doing, and one peer making many must not cost a stack walk each.
 */
public final class ProxyHeaderRefused extends ProtocolException {
    /** What went wrong, beside a malformed header. */
    public enum Cause {
        /** The header broke a rule of the protocol: see {@link #headerError()}. */
        MALFORMED,
        /** A trusted balancer's connection did not complete its header within the timeout. */
        TIMEOUT,
        /** A peer not among the trusted balancers sent a header: it could claim to be anyone. */
        UNTRUSTED_SOURCE,
        /** A trusted balancer's connection began without a header. */
        MISSING
    }

    private final Cause cause;
    private final transient ProxyHeaderError headerError;

    ProxyHeaderRefused(Cause cause, ProxyHeaderError headerError, String message) {
        super(message);
        this.cause = cause;
        this.headerError = headerError;
        setStackTrace(new StackTraceElement[0]);
    }

    public Cause refusal() {
        return cause;
    }

    /** The rule a malformed header broke; null for the other causes. */
    public ProxyHeaderError headerError() {
        return headerError;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
