package io.iocp4j.tls;

import io.iocp4j.AttributeKey;
import io.iocp4j.Connection;
import io.iocp4j.stage.StageFactory;

import javax.net.ssl.SSLSession;

/**
 * TLS as a byte stage: {@code Pipeline.of(framing, Tls.server(settings))} on a server,
 * {@code Tls.client(settings, "example.com")} on a client. The handler hears {@code onConnect} once the handshake
 * has succeeded, with the session in {@link #SESSION}; a handshake that fails or times out ends the connection
 * ({@code CloseReason.TLS_FAILED}) and its handler hears the {@link javax.net.ssl.SSLException} in
 * {@code onError}.
 */
public final class Tls {
    /** The connection's TLS session, set before the handler hears {@code onConnect}. */
    public static final AttributeKey<SSLSession> SESSION = AttributeKey.of("TLS session", SSLSession.class);
    /** The protocol ALPN agreed on ("h2", say), set with {@link #SESSION} when there was one. */
    public static final AttributeKey<String> APPLICATION_PROTOCOL = AttributeKey.of("ALPN protocol", String.class);

    private Tls() {
    }

    /** A server's TLS stage for each connection. */
    public static StageFactory server(TlsSettings settings) {
        if (!settings.isServer()) {
            throw new IllegalArgumentException("client settings given to Tls.server");
        }
        return connection -> new TlsStage(settings.newEngine(null, -1), settings.handshakeTimeout());
    }

    /**
     * A client's TLS stage for each connection; {@code serverName} is the host name sent by SNI and checked against
     * the server's certificate (or an address, checked against its IP names).
     */
    public static StageFactory client(TlsSettings settings, String serverName) {
        if (settings.isServer()) {
            throw new IllegalArgumentException("server settings given to Tls.client");
        }
        return connection -> new TlsStage(settings.newEngine(serverName, connection.remoteAddress().getPort()),
                settings.handshakeTimeout());
    }

    /** The connection's TLS session, or null before its handshake (or without TLS). */
    public static SSLSession session(Connection connection) {
        return connection.attr(SESSION);
    }

    /** The protocol ALPN agreed on ("h2", say), or null when none was. */
    public static String applicationProtocol(Connection connection) {
        return connection.attr(APPLICATION_PROTOCOL);
    }
}
