package org.smartschool.gateway.wired;

/**
 * Turns BME280 raw values into physical ones with the datasheet's integer formulas (section 4.2.3,
 * {@code BME280_compensate_T_int32}, {@code BME280_compensate_P_int64},
 * {@code bme280_compensate_H_int32}). Java's int and long wrap and shift like the reference C on
 * two's-complement machines, so the results match the vendor's code bit for bit.
 */
public final class Bme280Compensation {
    private final Bme280Calibration c;

    public Bme280Compensation(Bme280Calibration calibration) {
        this.c = calibration;
    }

    /**
     * One compensated sample.
     *
     * @param temperatureCentiCelsius 5123 means 51.23 degrees C
     * @param pressureQ24_8 Pa as an unsigned Q24.8 number: 24674867 means 24674867 / 256 = 96386.2 Pa
     * @param humidityQ22_10 %RH as Q22.10: 47445 means 47445 / 1024 = 46.333 %RH
     * @param tFine the fine temperature the pressure and humidity formulas use
     */
    public record Sample(int temperatureCentiCelsius, long pressureQ24_8, long humidityQ22_10, int tFine) {
        public double celsius() {
            return temperatureCentiCelsius / 100.0;
        }

        public double hectopascal() {
            return pressureQ24_8 / 256.0 / 100.0;
        }

        public double relativeHumidity() {
            return humidityQ22_10 / 1024.0;
        }
    }

    /** Compensates one burst read (20-bit temperature and pressure, 16-bit humidity). */
    public Sample compensate(int adcT, int adcP, int adcH) {
        int tFine = tFine(adcT);
        int t = (tFine * 5 + 128) >> 8;
        return new Sample(t, pressure(adcP, tFine), humidity(adcH, tFine), tFine);
    }

    int tFine(int adcT) {
        int var1 = (((adcT >> 3) - (c.t1() << 1)) * c.t2()) >> 11;
        int var2 = (((((adcT >> 4) - c.t1()) * ((adcT >> 4) - c.t1())) >> 12) * c.t3()) >> 14;
        return var1 + var2;
    }

    long pressure(int adcP, int tFine) {
        long var1 = (long) tFine - 128000;
        long var2 = var1 * var1 * c.p6();
        var2 = var2 + ((var1 * c.p5()) << 17);
        var2 = var2 + (((long) c.p4()) << 35);
        var1 = ((var1 * var1 * c.p3()) >> 8) + ((var1 * c.p2()) << 12);
        var1 = ((((long) 1) << 47) + var1) * c.p1() >> 33;
        if (var1 == 0) {
            return 0; // avoids a division by zero (dig_P1 of 0: no calibration read)
        }
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (((long) c.p9()) * (p >> 13) * (p >> 13)) >> 25;
        var2 = (((long) c.p8()) * p) >> 19;
        p = ((p + var1 + var2) >> 8) + (((long) c.p7()) << 4);
        return p & 0xFFFFFFFFL;
    }

    long humidity(int adcH, int tFine) {
        int v = tFine - 76800;
        v = (((((adcH << 14) - (c.h4() << 20) - (c.h5() * v)) + 16384) >> 15)
                * (((((((v * c.h6()) >> 10) * (((v * c.h3()) >> 11) + 32768)) >> 10) + 2097152) * c.h2() + 8192) >> 14));
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * c.h1()) >> 4);
        v = Math.max(v, 0);
        v = Math.min(v, 419430400);
        return (v >> 12) & 0xFFFFFFFFL;
    }
}
