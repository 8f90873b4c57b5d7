package org.smartschool.bridge.attendance;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A card UID as the gateway keeps it: HMAC-SHA256 under the school's card key, base64url without
 * padding (43 characters). The hub hashes the roster's UIDs with the key and sends only the hashes;
 * the gateway hashes each tapped UID the same way and looks the hash up, so no UID is stored at
 * the gateway, and a hash cannot be reversed by trying every 4-byte UID without the key.
 *
 * <p>Both sides must write a UID the same way first: {@link #normalise} makes the card-reader codec's
 * form (upper-case hex without separators: {@code 04A22B1C}, Wiegand {@code 0A1B2C}) out of what a
 * roster file or reader may hold ({@code 04:a2:2b:1c}, {@code 0x04 0xA2 0x2B 0x1C}).
 */
public final class CardHash {
    private static final Pattern SEPARATORS = Pattern.compile("0[xX](?=\\p{XDigit})|[\\s:\\-]");
    private static final Pattern HEX = Pattern.compile("(?:\\p{XDigit}{2}){3,10}");
    private static final int MIN_KEY_BYTES = 16;

    private CardHash() {
    }

    /**
     * The card's hash under a key.
     *
     * @param key the school's card key, at least 16 bytes
     * @param uid the UID in any form {@link #normalise} accepts
     * @throws IllegalArgumentException if the key is short or the UID is not 3-10 hex bytes (the message
     *                                  never quotes the UID)
     */
    public static String of(byte[] key, String uid) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("card key: at least " + MIN_KEY_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(normalise(uid).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * The UID as upper-case hex without separators.
     *
     * @throws IllegalArgumentException if it is not 3-10 bytes of hex (the message names the shape only)
     */
    public static String normalise(String uid) {
        if (uid == null) {
            throw new IllegalArgumentException("card UID is missing");
        }
        String hex = SEPARATORS.matcher(uid.strip()).replaceAll("");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("card UID is not 3-10 bytes of hex (" + uid.length() + " characters)");
        }
        return hex.toUpperCase(Locale.ROOT);
    }
}
