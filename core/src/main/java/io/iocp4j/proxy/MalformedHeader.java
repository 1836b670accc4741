package io.iocp4j.proxy;

/**
 * Thrown inside this package where a header breaks a rule, and caught by {@link ProxyHeaderParser}, which turns it
 * into its {@link ProxyHeaderParser.Status#FAILED} value. It carries no stack trace: a malformed header is the
 * peer's doing, not a bug, and one peer sending many must not cost a stack walk each.
 */
final class MalformedHeader extends RuntimeException {
    private final ProxyHeaderError reason;

    MalformedHeader(ProxyHeaderError reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    ProxyHeaderError reason() {
        return reason;
    }
}
