package io.iocp4j.proxy;

import io.iocp4j.AttributeKey;
import io.iocp4j.Connection;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageFactory;

import java.net.InetAddress;

import java.time.Duration;
import java.util.Objects;

/**
 * The PROXY protocol (versions 1 and 2) as a byte stage for servers behind a load balancer: the balancer's header
 * is read once, then the stage leaves the path. From then on {@link Connection#remoteAddress()} is the client's,
 * and the server's bans, per-address limit and accept filter are applied to the client, not to the balancer.
 *
 * <p>Only {@link TrustedProxies trusted sources} may send a header. A header from anyone else, a trusted source's
 * connection without one, a malformed or truncated header, or one not complete within the timeout (5 s by
 * default) ends that connection ({@code CloseReason.PROTOCOL_ERROR}, the {@link ProxyHeaderRefused} in
 * {@code onError}). Peers that are not trusted and send no header are served as they are. A version 2 LOCAL
 * header (the balancer's own health check) keeps the balancer's address. The header, TLVs included, stays readable
 * in {@link #HEADER}.
 */
public final class ProxyProtocol {
    /** The header a connection began with, set before the handler hears {@code onConnect}. */
    public static final AttributeKey<ProxyHeader> HEADER = AttributeKey.of("PROXY header", ProxyHeader.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private ProxyProtocol() {
    }

    /** A stage that takes headers from {@code trusted} sources, within {@link #DEFAULT_TIMEOUT}. */
    public static StageFactory stage(TrustedProxies trusted) {
        return stage(trusted, DEFAULT_TIMEOUT);
    }

    /** A stage that takes headers from {@code trusted} sources, within {@code timeout}. */
    public static StageFactory stage(TrustedProxies trusted, Duration timeout) {
        Objects.requireNonNull(trusted, "trusted");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout=" + timeout);
        }
        return new StageFactory() {
            @Override
            public ByteStage newStage(Connection connection) {
                return new ProxyProtocolStage(trusted.trusts(connection.remoteAddress().getAddress()), timeout);
            }

            @Override
            public boolean namesThePeerOf(InetAddress peer) {
                return trusted.trusts(peer);
            }

            @Override
            public String toString() {
                return "ProxyProtocol.stage(" + trusted + ", " + timeout + ")";
            }
        };
    }

    /** The header {@code connection} began with, or null. */
    public static ProxyHeader header(Connection connection) {
        return connection.attr(HEADER);
    }
}
