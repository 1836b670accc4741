package io.iocp4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for tests, made with the JDK's own keytool (nothing else needed): each as a PKCS#12
 * keystore and as PEM files (the certificate, and its PKCS#8 key), the certificate doubling as the authority that
 * trusts it.
 */
public final class TestCertificates {
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** One certificate's files. */
    public record Issued(Path keystore, Path certificatePem, Path keyPem) {
    }

    private TestCertificates() {
    }

    /**
     * A certificate for {@code commonName} naming {@code subjectAltNames} ("dns:localhost,ip:127.0.0.1"), with an EC
     * or RSA key, written under {@code directory} as NAME.p12, NAME.crt and NAME.key.
     */
    public static Issued issue(Path directory, String name, String commonName, String subjectAltNames,
                               String keyAlgorithm) throws IOException, GeneralSecurityException, InterruptedException {
        Files.createDirectories(directory);
        Path keystore = directory.resolve(name + ".p12");
        Files.deleteIfExists(keystore);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-dname", "CN=" + commonName, "-validity", "30",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (keyAlgorithm.equals("EC")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        } else {
            command.addAll(List.of("-keyalg", keyAlgorithm, "-keysize", "2048"));
        }
        if (subjectAltNames != null) {
            command.addAll(List.of("-ext", "SAN=" + subjectAltNames));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        Key key = store.getKey(name, PASSWORD);
        Certificate certificate = store.getCertificate(name);
        Path certificatePem = directory.resolve(name + ".crt");
        Path keyPem = directory.resolve(name + ".key");
        Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Issued(keystore, certificatePem, keyPem);
    }

    /** localhost and 127.0.0.1, EC. */
    public static Issued localhost(Path directory, String name)
            throws IOException, GeneralSecurityException, InterruptedException {
        return issue(directory, name, "localhost", "dns:localhost,ip:127.0.0.1", "EC");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
