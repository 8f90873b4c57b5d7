package org.smartschool.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API tokens for machines (the SMS, scripts): {@code sst_ID_SECRET}, where ID (12 characters) names the token in
 * lists and the audit log and SECRET is 32 random bytes. Only SHA-256 of the secret is stored: the secret
 * has full entropy, so a slow password hash would add nothing but cost on every request.
 */
public final class ApiTokens {
    public static final String PREFIX = "sst_";
    private static final Pattern FORMAT = Pattern.compile("sst_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private ApiTokens() {
    }

    /** A new token: its id, the whole token (shown once) and the hash to store. */
    public record Issued(String id, String token, String secretHash) {
        @Override
        public String toString() {
            return "Issued[id=" + id + ", token=***]";
        }
    }

    /** A token as presented: its id and the hash of its secret. */
    public record Presented(String id, String secretHash) {
    }

    public static Issued issue() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(id.toString(), PREFIX + id + "_" + encoded, sha256(encoded));
    }

    /** The id and secret hash of a token in the right format; empty for anything else. */
    public static Optional<Presented> parse(String token) {
        Matcher m = FORMAT.matcher(token);
        return m.matches() ? Optional.of(new Presented(m.group(1), sha256(m.group(2)))) : Optional.empty();
    }

    /** Constant-time comparison of two stored hashes. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
