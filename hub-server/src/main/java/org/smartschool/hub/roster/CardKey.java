package org.smartschool.hub.roster;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

import org.smartschool.bridge.model.Ids;

/**
 * A school's card key: the HMAC key the UIDs are hashed with ({@link org.smartschool.bridge.attendance.CardHash}),
 * 32 random bytes made by the hub, with an id the gateway and the events can name. The secret is never
 * printed: {@link #toString()} shows the id only.
 */
public record CardKey(String id, byte[] secret, long createdAt) {
    public static final int BYTES = 32;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public CardKey {
        Ids.require("card key", id);
        if (secret == null || secret.length < 16 || secret.length > 64) {
            throw new IllegalArgumentException("card key " + id + ": 16-64 bytes");
        }
        secret = secret.clone();
    }

    /** A new key: 32 bytes from {@code random}, its id the time and a random suffix ({@code k-20261203-152400-a1b2}). */
    public static CardKey generate(SecureRandom random, long now) {
        byte[] secret = new byte[BYTES];
        random.nextBytes(secret);
        byte[] suffix = new byte[2];
        random.nextBytes(suffix);
        return new CardKey("k-" + ID_TIME.format(Instant.ofEpochMilli(now)) + "-" + HexFormat.of().formatHex(suffix), secret, now);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The contract's form of the secret ({@code base64:...}). */
    public String encodedSecret() {
        return "base64:" + Base64.getEncoder().encodeToString(secret);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardKey k && k.id.equals(id) && java.util.Arrays.equals(k.secret, secret) && k.createdAt == createdAt;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "CardKey[" + id + "]";
    }
}
