package org.smartschool.gateway.outbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The identity of a device frame that survives its redelivery: SHA-256 over the topic, the
 * transport's delivery id (the MQTT packet id, which a broker keeps when it redelivers; a CoAP
 * peer and message id) and the payload, cut to 16 bytes.
 */
public final class FrameDigest {
    /** Bytes of a digest. */
    public static final int LENGTH = 16;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalError("SHA-256 not supported", e); // every Java platform has it
        }
    });

    private FrameDigest() {
    }

    /** @param deliveryId empty when the transport has none */
    public static byte[] of(String topic, String deliveryId, byte[] payload) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(topic.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(deliveryId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(payload);
        return Arrays.copyOf(sha.digest(), LENGTH);
    }
}
