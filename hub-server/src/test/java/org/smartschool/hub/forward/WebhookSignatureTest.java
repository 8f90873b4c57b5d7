package org.smartschool.hub.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

/** Our signatures checked by the Standard Webhooks reference library, an implementation independent of ours. */
class WebhookSignatureTest {
    private static final byte[] BODY = "{\"type\":\"alarm.raised\",\"data\":{\"school\":\"thcs-le-quy-don\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private static HttpHeaders http(Map<String, String> headers) {
        return HttpHeaders.of(headers.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> List.of(e.getValue()))), (a, b) -> true);
    }

    @Test
    void theReferenceLibraryAcceptsOurSignature() throws Exception {
        String secret = WebhookSecret.generate(new SecureRandom());
        long now = System.currentTimeMillis() / 1000; // the library refuses timestamps 5 minutes off its clock
        Map<String, String> headers = WebhookSignature.headers("alarm-1:raised", now, BODY, List.of(WebhookSecret.parse(secret)));
        new Webhook(secret).verify(new String(BODY, StandardCharsets.UTF_8), http(headers));
        assertEquals("alarm-1:raised", headers.get("webhook-id"));
        assertEquals(Long.toString(now), headers.get("webhook-timestamp"));
        assertTrue(headers.get("webhook-signature").matches("v1,[A-Za-z0-9+/]{43}="), headers.get("webhook-signature"));
    }

    @Test
    void duringARotationEitherSecretVerifies() throws Exception {
        String old = WebhookSecret.generate(new SecureRandom());
        String next = WebhookSecret.generate(new SecureRandom());
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> headers = WebhookSignature.headers("evt-7", now, BODY,
                List.of(WebhookSecret.parse(old), WebhookSecret.parse(next)));
        assertEquals(2, headers.get("webhook-signature").split(" ").length);
        new Webhook(old).verify(new String(BODY, StandardCharsets.UTF_8), http(headers));
        new Webhook(next).verify(new String(BODY, StandardCharsets.UTF_8), http(headers));
        String stranger = WebhookSecret.generate(new SecureRandom());
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(stranger).verify(new String(BODY, StandardCharsets.UTF_8), http(headers)));
    }

    @Test
    void aChangedBodyOrIdFailsVerification() {
        String secret = WebhookSecret.generate(new SecureRandom());
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> headers = WebhookSignature.headers("evt-8", now, BODY, List.of(WebhookSecret.parse(secret)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(new String(BODY, StandardCharsets.UTF_8) + " ", http(headers)));
        Map<String, String> otherId = new java.util.HashMap<>(headers);
        otherId.put("webhook-id", "evt-9");
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(new String(BODY, StandardCharsets.UTF_8), http(otherId)));
    }

    @Test
    void theSpecificationsExampleComesOutAsPublished() {
        // the example of the Standard Webhooks specification (secret, id, timestamp, body and signature)
        Map<String, String> headers = WebhookSignature.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                List.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", headers.get("webhook-signature"));
    }

    @Test
    void badSecretsAreRefusedWithoutShowingThem() {
        IllegalArgumentException noPrefix = assertThrows(IllegalArgumentException.class,
                () -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertFalse(noPrefix.getMessage().contains("MfKQ9"), noPrefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse("whsec_not base64!"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse("whsec_c2hvcnQ="), "5 bytes is too short");
        assertEquals("whsec_(hidden)", WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").toString());
    }
}
