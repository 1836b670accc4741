package io.iocp4j.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A certificate chain and its private key, as servers keep them: PEM files (the chain, then a PKCS#8 key, RSA, EC
 * or EdDSA) or a PKCS#12 keystore. Read when made, so that a bad file fails at once; then read again when the files
 * change, checked at most once a second as handshakes ask for the keys. New handshakes get the new keys, open
 * connections keep theirs; a new file that cannot be read is reported and the keys before it stay in use.
 */
public final class TlsKeys {
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    /** Loaded keys, and the generation that names them in a key manager's alias. */
    record Loaded(PrivateKey key, X509Certificate[] chain, int generation) {
        /** Refuses a key that is not the certificate's: every handshake would fail with it, far from the cause. */
        Loaded {
            if (!belongTogether(key, chain[0].getPublicKey())) {
                throw new IllegalArgumentException("the private key is not the one of the certificate for "
                        + chain[0].getSubjectX500Principal().getName());
            }
        }
    }

    /** Whether {@code key} signs what {@code certified} verifies. */
    static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            // A PSS key's signature needs the key's own parameters: left to the handshake to check.
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm();
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] challenge = "iocp4j key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private final List<Path> files;
    private final Loader loader;
    private volatile Loaded current;
    /** The keys before the current ones: a handshake that chose them just before a reload still finds them. */
    private volatile Loaded previous;
    private volatile List<FileTime> stamps;
    private volatile long checkedAt;
    private volatile Consumer<Exception> onReloadFailure = e -> System.getLogger(TlsKeys.class.getName())
            .log(System.Logger.Level.WARNING, "TLS keys not reloaded, the previous ones stay: " + e.getMessage());

    @FunctionalInterface
    private interface Loader {
        Loaded load(int generation) throws IOException, GeneralSecurityException;
    }

    private TlsKeys(List<Path> files, Loader loader) throws IOException, GeneralSecurityException {
        this.files = files;
        this.loader = loader;
        this.stamps = stamps(files);
        try {
            this.current = loader.load(1);
        } catch (IllegalArgumentException mismatched) {
            throw new GeneralSecurityException(mismatched.getMessage() + " (" + files + ")", mismatched);
        }
        this.checkedAt = System.nanoTime();
    }

    /** A PEM certificate chain (the server's certificate first) and a PEM PKCS#8 private key. */
    public static TlsKeys pem(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        return new TlsKeys(List.of(certificateChain, privateKey), generation -> {
            List<X509Certificate> chain = PemFiles.certificates(certificateChain);
            return new Loaded(PemFiles.privateKey(privateKey), chain.toArray(X509Certificate[]::new), generation);
        });
    }

    /** The first key entry of a PKCS#12 keystore, its store and key protected by {@code password}. */
    public static TlsKeys pkcs12(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        char[] kept = password.clone();
        return new TlsKeys(List.of(keystore), generation -> {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, kept);
            }
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate certificate : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) certificate);
                    }
                    return new Loaded((PrivateKey) store.getKey(alias, kept), chain.toArray(X509Certificate[]::new),
                            generation);
                }
            }
            throw new GeneralSecurityException(keystore + " holds no private key entry");
        });
    }

    /** Where a reload that failed is reported; by default, a warning through {@link System.Logger}. */
    public TlsKeys onReloadFailure(Consumer<Exception> listener) {
        this.onReloadFailure = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The keys to use now, read again first if the files changed since the last look (at most once a second). */
    Loaded current() {
        long now = System.nanoTime();
        if (now - checkedAt >= CHECK_EVERY_NANOS) {
            reloadIfChanged(now);
        }
        return current;
    }

    /** The keys of {@code generation}, if they are the current or the previous ones. */
    Loaded generation(int generation) {
        Loaded now = current;
        if (now.generation() == generation) {
            return now;
        }
        Loaded before = previous;
        return before != null && before.generation() == generation ? before : null;
    }

    /** Reads the files again now if they changed; true if new keys are in use. For tests and explicit reloads. */
    public synchronized boolean reloadIfChanged() {
        return reloadIfChanged(System.nanoTime());
    }

    private synchronized boolean reloadIfChanged(long now) {
        checkedAt = now;
        List<FileTime> seen;
        try {
            seen = stamps(files);
        } catch (IOException e) {
            onReloadFailure.accept(e);
            return false;
        }
        if (seen.equals(stamps)) {
            return false;
        }
        stamps = seen;
        try {
            Loaded loaded = loader.load(current.generation() + 1);
            previous = current;
            current = loaded;
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            onReloadFailure.accept(e);
            return false;
        }
    }

    private static List<FileTime> stamps(List<Path> files) throws IOException {
        List<FileTime> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            stamps.add(Files.getLastModifiedTime(file));
        }
        return stamps;
    }

    /** The subject of the certificate in use, for logs. */
    @Override
    public String toString() {
        return "TlsKeys[" + current.chain()[0].getSubjectX500Principal().getName() + "]";
    }
}
