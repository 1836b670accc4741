package io.iocp4j.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a side speaks TLS: its keys, whom it trusts, the versions (TLS 1.3 and 1.2, nothing older), ALPN, client
 * certificates, and how long a handshake may take. Made once, shared by every connection of a listener or client;
 * each connection gets an {@link SSLEngine} of its own from {@link #newEngine}.
 */
public final class TlsSettings {
    /** Versions this library speaks; anything older is refused. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Whether a server asks for client certificates. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** Asked for; a client without one is still served, one with an untrusted one is refused. */
        OPTIONAL,
        /** Required and verified: mutual TLS. */
        REQUIRED
    }

    private final boolean server;
    private final SSLContext context;
    private final String[] protocols;
    /** Empty: the JDK's default suites for the versions spoken. */
    private final String[] cipherSuites;
    private final String[] applicationProtocols;
    private final ClientAuth clientAuth;
    private final boolean hostnameVerification;
    private final Duration handshakeTimeout;

    private TlsSettings(Builder builder) throws GeneralSecurityException {
        this.server = builder.server;
        this.protocols = builder.protocols.clone();
        this.cipherSuites = builder.cipherSuites.clone();
        this.applicationProtocols = builder.applicationProtocols.clone();
        this.clientAuth = builder.clientAuth;
        this.hostnameVerification = builder.hostnameVerification;
        this.handshakeTimeout = builder.handshakeTimeout;
        KeyManager[] keys = builder.keys == null ? null
                : new KeyManager[] {new KeysByServerName(builder.keys, builder.byServerName)};
        TrustManager[] trust = builder.trust == null ? null : new TrustManager[] {builder.trust};
        this.context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        List<String> known = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        for (String suite : cipherSuites) {
            if (!known.contains(suite)) {
                throw new IllegalArgumentException("cipherSuite=" + suite + " is not one this JDK supports");
            }
        }
    }

    /** A server presenting {@code keys} (and others by server name, see {@link Builder#serverName}). */
    public static Builder server(TlsKeys keys) {
        return new Builder(true, Objects.requireNonNull(keys, "keys"));
    }

    /** A client trusting the JDK's default certificate authorities, verifying the server's host name. */
    public static Builder client() {
        return new Builder(false, null);
    }

    /** A new engine for one connection; {@code peerHost} names the server for SNI and host name verification. */
    SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = server ? context.createSSLEngine() : context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(!server);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites.length > 0) {
            parameters.setCipherSuites(cipherSuites);
        }
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        if (server) {
            parameters.setNeedClientAuth(clientAuth == ClientAuth.REQUIRED);
            if (clientAuth == ClientAuth.OPTIONAL) {
                parameters.setWantClientAuth(true);
            }
        } else if (hostnameVerification) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    boolean isServer() {
        return server;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Builds {@link TlsSettings}; every setting has a default. */
    public static final class Builder {
        private final boolean server;
        private TlsKeys keys;
        private final Map<String, TlsKeys> byServerName = new LinkedHashMap<>();
        private X509TrustManager trust;
        private String[] protocols = SUPPORTED_PROTOCOLS.toArray(String[]::new);
        private String[] cipherSuites = new String[0];
        private String[] applicationProtocols = new String[0];
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean hostnameVerification = true;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder(boolean server, TlsKeys keys) {
            this.server = server;
            this.keys = keys;
        }

        /** A server's keys for clients asking for {@code hostName} by SNI; others get the default keys. */
        public Builder serverName(String hostName, TlsKeys keysForName) {
            requireServer("serverName");
            byServerName.put(hostName.toLowerCase(Locale.ROOT), Objects.requireNonNull(keysForName, "keys"));
            return this;
        }

        /** A client's own certificate and key, for servers that ask for one (mutual TLS). */
        public Builder keys(TlsKeys clientKeys) {
            if (server) {
                throw new IllegalStateException("a server's keys are given to TlsSettings.server");
            }
            this.keys = Objects.requireNonNull(clientKeys, "keys");
            return this;
        }

        /**
         * Trusts the certificate authorities in a PEM file: the servers a client accepts, or the client certificates
         * a server accepts. Without it, the JDK's default authorities.
         */
        public Builder trust(Path certificateAuthorities) throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : PemFiles.certificates(certificateAuthorities)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            this.trust = (X509TrustManager) Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();
            return this;
        }

        /** Trusts as {@code trustManager} decides. */
        public Builder trust(X509TrustManager trustManager) {
            this.trust = Objects.requireNonNull(trustManager, "trustManager");
            return this;
        }

        /**
         * INSECURE, for test certificates only: a client that trusts any server certificate and checks no host
         * name, so anyone in the path can read and change the traffic.
         */
        public Builder insecureTrustAnyServer() {
            if (server) {
                throw new IllegalStateException("insecureTrustAnyServer is for clients");
            }
            this.trust = new TrustingAnything();
            this.hostnameVerification = false;
            return this;
        }

        /** TLS versions to offer or accept, from {@link #SUPPORTED_PROTOCOLS}; both by default. */
        public Builder protocols(String... versions) {
            if (versions.length == 0) {
                throw new IllegalArgumentException("no TLS version");
            }
            for (String version : versions) {
                if (!SUPPORTED_PROTOCOLS.contains(version)) {
                    throw new IllegalArgumentException(version + " is not supported; use " + SUPPORTED_PROTOCOLS);
                }
            }
            this.protocols = versions.clone();
            return this;
        }

        /**
         * Cipher suites to offer or accept, by their standard names ("TLS_AES_128_GCM_SHA256"), in order of
         * preference; the JDK's defaults for the chosen versions when not given. A suite of none of those versions
         * leaves that version nothing to negotiate.
         */
        public Builder cipherSuites(String... suites) {
            if (suites.length == 0) {
                throw new IllegalArgumentException("no cipher suite");
            }
            this.cipherSuites = suites.clone();
            return this;
        }

        /** ALPN: the protocols offered (client) or accepted in order of preference (server), e.g. "h2". */
        public Builder applicationProtocols(String... names) {
            this.applicationProtocols = names.clone();
            return this;
        }

        /** Whether a server asks for client certificates; {@link ClientAuth#NONE} by default. */
        public Builder clientAuth(ClientAuth auth) {
            requireServer("clientAuth");
            this.clientAuth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** Whether a client checks that the certificate names the host it connected to; on by default. */
        public Builder hostnameVerification(boolean verify) {
            if (server) {
                throw new IllegalStateException("hostnameVerification is for clients");
            }
            this.hostnameVerification = verify;
            return this;
        }

        /** How long a handshake may take before the connection is ended ({@code TLS_FAILED}); 10 s by default. */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout=" + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        public TlsSettings build() throws GeneralSecurityException {
            return new TlsSettings(this);
        }

        private void requireServer(String setting) {
            if (!server) {
                throw new IllegalStateException(setting + " is for servers");
            }
        }
    }

    /** Trusts every certificate: for {@link Builder#insecureTrustAnyServer()} alone. */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
