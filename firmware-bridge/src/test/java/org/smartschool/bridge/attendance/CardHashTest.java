package org.smartschool.bridge.attendance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CardHashTest {
    private static final byte[] KEY = "school-01 card key 2026-09".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyWayOfWritingAUidGivesTheOneHash() {
        String hash = CardHash.of(KEY, "04A22B1C");
        for (String form : new String[] {"04a22b1c", "04:A2:2B:1C", "04 a2 2b 1c", "04-A2-2B-1C", "0x04 0xA2 0x2B 0x1C", " 04A22B1C\n"}) {
            assertEquals(hash, CardHash.of(KEY, form), form);
        }
        assertEquals(43, hash.length());
    }

    @Test
    void theHashIsAnHmacUnderTheKeyAndChangesWithIt() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("04A22B1C".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(expected, CardHash.of(KEY, "04a22b1c"));
        assertNotEquals(expected, CardHash.of("another school's card key".getBytes(StandardCharsets.UTF_8), "04A22B1C"));
    }

    @Test
    void badUidsAndShortKeysAreRefusedWithoutQuotingTheUid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CardHash.of(KEY, "04A22B1"));
        assertEquals("card UID is not 3-10 bytes of hex (7 characters)", e.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class, () -> CardHash.of(KEY, "04A2ZZ1C")).getMessage().contains("04A2"));
        assertThrows(IllegalArgumentException.class, () -> CardHash.of("short".getBytes(StandardCharsets.UTF_8), "04A22B1C"));
        assertEquals("0A1B2C", CardHash.normalise("0a1b2c"));
    }
}
