package io.iocp4j.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Certificates and keys as servers keep them: PEM blocks of base64 between BEGIN and END lines. */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** The key algorithms a PKCS#8 key may be in, tried in turn: the encoding names its algorithm only by OID. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    /** Every certificate in {@code file}, in order: the server's own first, then the chain to its issuer. */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (byte[] der : blocks(file, "CERTIFICATE")) {
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM CERTIFICATE block");
        }
        return chain;
    }

    /** The private key in {@code file}: an unencrypted PKCS#8 "PRIVATE KEY" block, RSA, EC or EdDSA. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> keys = blocks(file, "PRIVATE KEY");
        if (keys.size() != 1) {
            String found = text(file).contains("-----BEGIN RSA PRIVATE KEY-----")
                    || text(file).contains("-----BEGIN EC PRIVATE KEY-----")
                    ? " (it holds a PKCS#1 or SEC1 key: convert it with 'openssl pkcs8 -topk8 -nocrypt')"
                    : text(file).contains("ENCRYPTED PRIVATE KEY") ? " (it is encrypted: decrypt it first)" : "";
            throw new GeneralSecurityException(file + " must hold exactly one PEM PRIVATE KEY block" + found);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.getFirst());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // The next algorithm may read it.
            }
        }
        throw new GeneralSecurityException(file + " holds a private key of none of " + KEY_ALGORITHMS);
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException, GeneralSecurityException {
        Matcher matcher = BLOCK.matcher(text(file));
        List<byte[]> found = new ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                try {
                    found.add(Base64.getMimeDecoder().decode(matcher.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new GeneralSecurityException(file + ": a " + type + " block is not base64", e);
                }
            }
        }
        return found;
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }
}
