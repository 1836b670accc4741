package io.iocp4j.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The secret that actions must present as {@code Authorization: Bearer <token>}. */
final class Token {
    private static final int RANDOM_BYTES = 24;

    private final byte[] secret;
    private final String text;

    private Token(String text) {
        this.text = text;
        this.secret = text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code given}, or a random one when null. */
    static Token of(String given) {
        if (given == null) {
            byte[] random = new byte[RANDOM_BYTES];
            new SecureRandom().nextBytes(random);
            return new Token(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        if (given.isBlank() || given.length() > 256 || !given.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("token must be 1 to 256 printable ASCII characters without spaces");
        }
        return new Token(given);
    }

    String text() {
        return text;
    }

    /** Compares in time independent of where the first difference lies, so guessing learns nothing from timing. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }
}
