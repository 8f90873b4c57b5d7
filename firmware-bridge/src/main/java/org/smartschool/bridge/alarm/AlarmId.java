package org.smartschool.bridge.alarm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import org.smartschool.bridge.model.Ids;

/**
 * The id of an alarm, derived from what raised it, so that the gateway that raised it and the hub
 * that tracks it always name it alike, and a replay of the same readings (after a restart, a
 * resend, an outage) collapses into the same alarm instead of a second one.
 *
 * <p>A name-based UUID (RFC 9562 version 8) over SHA-256 of school, source, rule and the instant
 * the alarm was raised (the timestamp of the reading that raised it, not the wall clock, which
 * differs between a first evaluation and a replay).
 */
public final class AlarmId {

    private AlarmId() {
    }

    /**
     * @param source what the alarm is about inside the school: {@code room/device} for a sensor,
     *               {@code gateway} for the gateway itself
     * @param rule the rule's id, e.g. {@code co2}
     * @param raisedAt UTC epoch milliseconds of the reading that raised it
     */
    public static String of(String school, String source, String rule, long raisedAt) {
        Ids.require("school", school);
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("alarm of school '" + school + "' has no source");
        }
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("alarm of school '" + school + "' has no rule");
        }
        String name = school + '\n' + source + '\n' + rule + '\n' + raisedAt;
        byte[] hash = sha256(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom, name-based
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 9562 variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
