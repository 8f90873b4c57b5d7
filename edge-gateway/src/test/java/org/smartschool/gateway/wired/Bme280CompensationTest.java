package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/**
 * Verifies the BME280 integer compensation: temperature and pressure against the worked example
 * Bosch publishes for these formulas (BMP280 datasheet section 3.12, the same formulas and
 * calibration layout as the BME280's), humidity against the BME280 datasheet's double-precision
 * formula (section 8.1), and the calibration layout (0xE4/0xE5/0xE6 sharing dig_H4 and dig_H5).
 */
class Bme280CompensationTest {
    /** Bosch's example trimming values (dig_T1..dig_P9) with typical BME280 humidity values. */
    static final Bme280Calibration EXAMPLE = new Bme280Calibration(27504, 26435, -1000,
            36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
            75, 362, 0, 313, 50, 30);
    static final int ADC_T = 519888;
    static final int ADC_P = 415148;

    @Test
    void compensatesTheDatasheetExampleTemperatureAndPressure() {
        Bme280Compensation.Sample s = new Bme280Compensation(EXAMPLE).compensate(ADC_T, ADC_P, 30000);
        assertThat(s.tFine()).isEqualTo(128422);
        assertThat(s.temperatureCentiCelsius()).isEqualTo(2508); // 25.08 C
        // the worked example gives 100653.27 Pa with the floating-point formula; the 64-bit integer one
        // lands within its 1/256 Pa steps of rounding: 25767233 / 256 = 100653.254 Pa
        assertThat(s.pressureQ24_8()).isEqualTo(25767233L);
        assertThat(s.pressureQ24_8() / 256.0).isCloseTo(100653.27, offset(0.05));
        assertThat(s.hectopascal()).isCloseTo(1006.5325, offset(0.0001));
    }

    @Test
    void integerHumidityAgreesWithTheDatasheetFloatingPointFormula() {
        Bme280Compensation comp = new Bme280Compensation(EXAMPLE);
        for (int adcT : new int[] {480000, ADC_T, 560000}) {
            for (int adcH = 20000; adcH <= 40000; adcH += 2500) {
                Bme280Compensation.Sample s = comp.compensate(adcT, ADC_P, adcH);
                double expected = floatHumidity(EXAMPLE, s.tFine(), adcH);
                assertThat(s.relativeHumidity()).as("adcT %d adcH %d", adcT, adcH).isCloseTo(expected, offset(0.05));
                assertThat(s.relativeHumidity()).isBetween(0.0, 100.0);
            }
        }
    }

    @Test
    void clampsHumidityToTheRange() {
        Bme280Compensation comp = new Bme280Compensation(EXAMPLE);
        assertThat(comp.compensate(ADC_T, ADC_P, 0).relativeHumidity()).isEqualTo(0.0);
        assertThat(comp.compensate(ADC_T, ADC_P, 65535).relativeHumidity()).isEqualTo(100.0);
    }

    @Test
    void parsesTheCalibrationRegisters() {
        byte[] block1 = new byte[26];
        int[] words = {27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000};
        for (int i = 0; i < words.length; i++) {
            block1[2 * i] = (byte) words[i];
            block1[2 * i + 1] = (byte) (words[i] >> 8);
        }
        block1[25] = 75;
        // dig_H2 = 362 (0x016A), dig_H3 = 0, dig_H4 = -45 (0xFD3), dig_H5 = 50 (0x032), dig_H6 = -3
        byte[] block2 = {0x6A, 0x01, 0x00, (byte) 0xFD, 0x23, 0x03, (byte) 0xFD};
        Bme280Calibration c = Bme280Calibration.parse(block1, block2);
        assertThat(c.t1()).isEqualTo(27504);
        assertThat(c.t3()).isEqualTo(-1000);
        assertThat(c.p1()).isEqualTo(36477);
        assertThat(c.p2()).isEqualTo(-10685);
        assertThat(c.p9()).isEqualTo(6000);
        assertThat(c.h1()).isEqualTo(75);
        assertThat(c.h2()).isEqualTo(362);
        assertThat(c.h3()).isEqualTo(0);
        assertThat(c.h4()).isEqualTo(-45);
        assertThat(c.h5()).isEqualTo(50);
        assertThat(c.h6()).isEqualTo(-3);
    }

    /** BME280 datasheet 8.1, compensate_humidity_double. */
    static double floatHumidity(Bme280Calibration c, int tFine, int adcH) {
        double h = tFine - 76800.0;
        h = (adcH - (c.h4() * 64.0 + c.h5() / 16384.0 * h))
                * (c.h2() / 65536.0 * (1.0 + c.h6() / 67108864.0 * h * (1.0 + c.h3() / 67108864.0 * h)));
        h = h * (1.0 - c.h1() * h / 524288.0);
        return Math.max(0, Math.min(100, h));
    }
}
