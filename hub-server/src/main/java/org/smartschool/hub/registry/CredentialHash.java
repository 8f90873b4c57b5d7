package org.smartschool.hub.registry;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A gateway secret as the hub keeps it: PBKDF2-HMAC-SHA256 (the JDK's {@code PBKDF2WithHmacSHA256})
 * over the secret with a random salt of its own, never the secret itself. Encoded as one line,
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in unpadded Base64), so the iteration
 * count can be raised later without breaking stored hashes.
 *
 * <p>Gateway secrets are 256 random bits ({@link #newSecret()}), out of reach of a dictionary or brute
 * force whatever the iteration count; the count is set so one check costs a few milliseconds,
 * since a gateway checks in at every (re)connection.
 */
public final class CredentialHash {
    public static final String SCHEME = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 20_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private CredentialHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** A fresh secret for a gateway: 32 random bytes, URL-safe Base64 without padding (43 characters). */
    public static String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Hashes {@code secret} with a new random salt. */
    public static CredentialHash of(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new CredentialHash(DEFAULT_ITERATIONS, salt, pbkdf2(secret, salt, DEFAULT_ITERATIONS));
    }

    /** Reads the encoded form written by {@link #encoded()}. */
    public static CredentialHash parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("a credential hash reads " + SCHEME + "$ITERATIONS$SALT$HASH");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1000 || salt.length < 8 || hash.length != HASH_BYTES) {
                throw new IllegalArgumentException("credential hash with too few iterations, a short salt or a bad hash length");
            }
            return new CredentialHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) { // also NumberFormatException and Base64's
            throw new IllegalArgumentException("unreadable credential hash: " + e.getMessage(), e);
        }
    }

    /** Whether {@code secret} is the one hashed; compares in time independent of where they differ. */
    public boolean matches(String secret) {
        if (secret == null) {
            return false;
        }
        return MessageDigest.isEqual(hash, pbkdf2(secret, salt, iterations));
    }

    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public String toString() {
        return SCHEME + "$" + iterations + "$...";
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
        // PBEKeySpec takes chars; it converts them to bytes as UTF-8 itself, which covers any secret text
        char[] chars = secret.toCharArray();
        KeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has PBKDF2WithHmacSHA256", e);
        } finally {
            Arrays.fill(chars, '\0');
            ((PBEKeySpec) spec).clearPassword();
        }
    }
}
