package org.smartschool.hub.forward;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as Standard Webhooks says: HMAC-SHA256 over {@code id.timestamp.body} with the
 * secret's key, sent as {@code v1,<base64>}. While a subscription rotates its secret both are
 * active, and the header carries one signature per secret, separated by spaces, so the receiver
 * accepts the message with either.
 */
public final class WebhookSignature {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private WebhookSignature() {
    }

    /**
     * The three headers of one delivery.
     *
     * @param messageId the event's id: the same event always goes out under the same id, retries included
     * @param timestampSeconds when this attempt is sent, in Unix seconds
     */
    public static Map<String, String> headers(String messageId, long timestampSeconds, byte[] body,
                                              List<WebhookSecret> secrets) {
        if (messageId == null || messageId.isBlank() || messageId.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook id must be non-empty and free of '.'");
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one secret to sign with");
        }
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder signatures = new StringBuilder();
        for (WebhookSecret secret : secrets) {
            if (signatures.length() > 0) {
                signatures.append(' ');
            }
            signatures.append("v1,").append(Base64.getEncoder().encodeToString(hmac(secret, prefix, body)));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, messageId);
        headers.put(TIMESTAMP, Long.toString(timestampSeconds));
        headers.put(SIGNATURE, signatures.toString());
        return headers;
    }

    private static byte[] hmac(WebhookSecret secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
