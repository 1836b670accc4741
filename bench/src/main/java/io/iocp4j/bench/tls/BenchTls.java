package io.iocp4j.bench.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one TLS set-up of the TLS workloads, shared by every TLS peer and the TLS generator so that each does the same
 * cryptography: TLS 1.3, TLS_AES_128_GCM_SHA256 alone, and one self-signed EC P-256 certificate for 127.0.0.1,
 * made with the JDK's keytool (nothing else needed) and kept as PEM files in a directory the server and the
 * generator processes are both given.
 */
public final class BenchTls {
    public static final String PROTOCOL = "TLSv1.3";
    public static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    static final String NAME = "bench";
    private static final char[] PASSWORD = "changeit".toCharArray();
    /** A certificate closer than this to its end is made again, so a run never meets an expired one. */
    private static final Duration MARGIN = Duration.ofDays(1);

    /** The certificate (it is its own authority: the generator trusts exactly it) and its PKCS#8 key. */
    public record Certificate(Path certificatePem, Path keyPem) {
    }

    private BenchTls() {
    }

    /** Where the certificate goes when no directory is named: one per machine user, under the temporary directory. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "iocp4j-bench-tls-" + System.getProperty("user.name"));
    }

    /**
     * The certificate in {@code directory}, made there first when it is missing or near its end. Processes that
     * start together take turns through a lock file, so none reads a certificate without its key.
     */
    public static Certificate in(Path directory) throws IOException, GeneralSecurityException, InterruptedException {
        Files.createDirectories(directory);
        Certificate certificate = new Certificate(directory.resolve(NAME + ".crt"), directory.resolve(NAME + ".key"));
        try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (!usable(certificate)) {
                issue(directory, certificate);
            }
        }
        return certificate;
    }

    /** A client context trusting the bench certificate alone. */
    public static SSLContext clientContext(Path certificatePem) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            trusted.setCertificateEntry(NAME, CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    /**
     * A client engine offering TLS 1.3 with {@link #CIPHER_SUITE} alone. It names no peer, so the JDK finds no
     * session to resume: every handshake is a full one.
     */
    public static SSLEngine clientEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setCipherSuites(new String[] {CIPHER_SUITE});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Refuses a session that is not TLS 1.3 with {@link #CIPHER_SUITE}: the comparison would not be fair. */
    public static void requireAgreed(SSLSession session) throws IOException {
        if (!PROTOCOL.equals(session.getProtocol()) || !CIPHER_SUITE.equals(session.getCipherSuite())) {
            throw new IOException("the server agreed on " + session.getProtocol() + " " + session.getCipherSuite()
                    + ", not " + PROTOCOL + " " + CIPHER_SUITE);
        }
    }

    private static boolean usable(Certificate certificate) throws IOException {
        if (!Files.exists(certificate.certificatePem()) || !Files.exists(certificate.keyPem())) {
            return false;
        }
        try (InputStream in = Files.newInputStream(certificate.certificatePem())) {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            x509.checkValidity(Date.from(Instant.now().plus(MARGIN)));
            return true;
        } catch (GeneralSecurityException expiredOrUnreadable) {
            return false;
        }
    }

    private static void issue(Path directory, Certificate certificate)
            throws IOException, GeneralSecurityException, InterruptedException {
        Path keystore = directory.resolve(NAME + ".p12");
        Files.deleteIfExists(keystore);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", NAME, "-dname", "CN=localhost", "-validity", "365",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        // The key first: a certificate on disk always has its key beside it.
        Files.writeString(certificate.keyPem(), pem("PRIVATE KEY", store.getKey(NAME, PASSWORD).getEncoded()));
        Files.writeString(certificate.certificatePem(), pem("CERTIFICATE", store.getCertificate(NAME).getEncoded()));
        Files.delete(keystore);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
