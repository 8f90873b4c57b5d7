package org.smartschool.bridge.codec.plaintext;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PlainPayloadTest {

    @Test
    void readsPlainDecimalNumbers() {
        assertThat(PlainPayload.number("23.45").value()).isEqualTo(23.45);
        assertThat(PlainPayload.number("-7").value()).isEqualTo(-7);
        assertThat(PlainPayload.number(".5").value()).isEqualTo(0.5);
        assertThat(PlainPayload.number("1.2e3").value()).isEqualTo(1200);
    }

    @Test
    void refusesWhatParseDoubleWouldWronglyAccept() {
        for (String bad : new String[] {"NaN", "Infinity", "0x1p3", "12d", "1_000", "1,5", " ", "1e99999"}) {
            assertThat(PlainPayload.number(bad).ok()).as(bad).isFalse();
        }
        assertThat(PlainPayload.number("nan").problem()).contains("no value");
    }

    @Test
    void trimsTextAndRefusesBadUtf8AndOversizedPayloads() {
        assertThat(PlainPayload.text(" ON\n".getBytes(StandardCharsets.UTF_8)).value()).isEqualTo("ON");
        assertThat(PlainPayload.text(new byte[] {(byte) 0xE2, (byte) 0x82}).problem()).contains("UTF-8");
        assertThat(PlainPayload.text(new byte[PlainPayload.MAX_BYTES + 1]).problem()).contains("bytes");
    }
}
