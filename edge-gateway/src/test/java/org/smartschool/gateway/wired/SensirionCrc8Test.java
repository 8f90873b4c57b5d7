package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Verifies the Sensirion CRC-8 against its published check values and the SCD4x measurement decoding. */
class SensirionCrc8Test {

    @Test
    void matchesTheDatasheetCheckValue() {
        // SCD4x / SHT4x datasheets: "CRC(0xBEEF) = 0x92"
        assertThat(SensirionCrc8.ofWord(0xBEEF)).isEqualTo(0x92);
        assertThat(SensirionCrc8.of(new byte[] {(byte) 0xBE, (byte) 0xEF}, 0, 2)).isEqualTo(0x92);
    }

    @Test
    void matchesTheCatalogueCheckValue() {
        // the same CRC is catalogued as CRC-8/NRSC-5 (poly 0x31, init 0xFF): check value 0xF7 for "123456789"
        byte[] digits = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(SensirionCrc8.of(digits, 0, digits.length)).isEqualTo(0xF7);
    }

    @Test
    void decodesAMeasurementWithTheDatasheetConversions() throws Exception {
        // words 0x01F4, 0x6667, 0x5EB9: CO2 500 ppm, T = -45 + 175 * 26215 / 65535 = 25.0027 C,
        // RH = 100 * 24249 / 65535 = 37.0016 %; each word followed by its CRC
        byte[] answer = Scd4xSimulator.words(0x01F4, 0x6667, 0x5EB9);
        assertThat(answer[2] & 0xFF).isEqualTo(SensirionCrc8.ofWord(0x01F4));
        Scd4xMeasurement m = Scd4xMeasurement.decode(answer);
        assertThat(m.co2Ppm()).isEqualTo(500);
        assertThat(m.temperatureCelsius()).isCloseTo(25.0027, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(m.humidityPercent()).isCloseTo(37.0016, org.assertj.core.data.Offset.offset(0.0001));
    }

    @Test
    void refusesAMeasurementWithACorruptWord() {
        byte[] answer = Scd4xSimulator.words(0x01F4, 0x6667, 0x5EB9);
        answer[4] ^= 0x01; // one flipped bit in the temperature word
        String sent = String.format("0x%02X", SensirionCrc8.ofWord(0x6667));
        assertThatThrownBy(() -> Scd4xMeasurement.decode(answer))
                .isInstanceOf(Scd4xMeasurement.CrcMismatchException.class)
                .hasMessageContaining("temperature word")
                .hasMessageContaining("the sensor sent " + sent);
    }
}
