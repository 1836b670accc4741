package io.iocp4j.testkit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The JDK's own TLS client ({@link SSLSocket}), independent of iocp4j, speaking 4-byte length-prefixed frames:
 * the peer a TLS stage must interoperate with.
 */
public final class TlsPeer implements AutoCloseable {
    private final SSLSocket socket;
    private final FrameSocket frames;

    private TlsPeer(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.frames = new FrameSocket(socket);
    }

    /** How the peer connects. */
    public record Options(Path trusted, String protocol, String serverName, Path clientKeystore,
                          List<String> applicationProtocols) {
        public static Options trusting(Path certificatePem) {
            return new Options(certificatePem, null, null, null, List.of());
        }

        public Options protocol(String version) {
            return new Options(trusted, version, serverName, clientKeystore, applicationProtocols);
        }

        public Options serverName(String name) {
            return new Options(trusted, protocol, name, clientKeystore, applicationProtocols);
        }

        public Options clientKeystore(Path keystore) {
            return new Options(trusted, protocol, serverName, keystore, applicationProtocols);
        }

        public Options alpn(String... protocols) {
            return new Options(trusted, protocol, serverName, clientKeystore, List.of(protocols));
        }
    }

    /** Connects and completes the handshake; throws what the handshake threw. */
    public static TlsPeer connect(InetSocketAddress address, Options options)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = null;
        if (options.clientKeystore() != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream stream = Files.newInputStream(options.clientKeystore())) {
                store.load(stream, TestCertificates.PASSWORD);
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestCertificates.PASSWORD);
        }
        context.init(keys == null ? null : keys.getKeyManagers(), trustManagers(options.trusted()), null);
        Socket plain = new Socket();
        plain.connect(address, 10_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost",
                address.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        if (options.protocol() != null) {
            parameters.setProtocols(new String[] {options.protocol()});
        }
        if (options.serverName() != null) {
            parameters.setServerNames(List.of(new SNIHostName(options.serverName())));
        }
        if (!options.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(options.applicationProtocols().toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new TlsPeer(socket);
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path certificatePem)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream stream = Files.newInputStream(certificatePem)) {
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(stream)) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    public SSLSocket socket() {
        return socket;
    }

    /** The certificate the server presented. */
    public X509Certificate serverCertificate() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    public void send(byte[] payload) throws IOException {
        frames.send(payload);
    }

    /** The next frame's payload, or null at the end of the stream. */
    public byte[] receive() throws IOException {
        return frames.receive();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
