package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;

import com.pi4j.io.i2c.I2C;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Bosch BME280 (temperature, humidity, pressure) at register level over Pi4J I2C, after the BME280
 * datasheet: check the chip id, read the calibration once, then for every sample start one
 * measurement in forced mode (the sensor sleeps in between, no self-heating), wait until it is
 * done and read the eight data registers in one burst so that they belong to one measurement.
 */
final class Bme280Driver implements PolledSensor {
    static final int REG_CALIB_00 = 0x88;
    static final int REG_CHIP_ID = 0xD0;
    static final int REG_RESET = 0xE0;
    static final int REG_CALIB_26 = 0xE1;
    static final int REG_CTRL_HUM = 0xF2;
    static final int REG_STATUS = 0xF3;
    static final int REG_CTRL_MEAS = 0xF4;
    static final int REG_CONFIG = 0xF5;
    static final int REG_DATA = 0xF7;
    static final int CHIP_ID = 0x60;
    static final int RESET_WORD = 0xB6;
    /** osrs_t = x1, osrs_p = x1, mode = forced (the weather-monitoring setting of section 3.5.1). */
    static final int CTRL_MEAS_FORCED = (0b001 << 5) | (0b001 << 2) | 0b01;
    /** osrs_h = x1. */
    static final int CTRL_HUM = 0b001;
    /** Status bits: a conversion is running; the NVM is being copied to the image registers. */
    static final int STATUS_MEASURING = 0x08;
    static final int STATUS_IM_UPDATE = 0x01;
    /** A forced measurement at x1 oversampling takes at most 9.3 ms (datasheet 9.1). */
    static final long READY_TIMEOUT_MILLIS = 200;

    private final I2C i2c;
    private Bme280Compensation compensation;
    private boolean triggered;

    Bme280Driver(I2C i2c) {
        this.i2c = i2c;
    }

    @Override
    public String chip() {
        return "bme280";
    }

    @Override
    public void begin() throws SensorException {
        int id = i2c.readRegister(REG_CHIP_ID);
        if (id != CHIP_ID) {
            throw SensorException.io(String.format("chip id 0x%02X is not a BME280's (0x60)%s", id & 0xFF,
                    id == 0x58 ? ": a BMP280, which has no humidity" : ""));
        }
        i2c.writeRegister(REG_RESET, (byte) RESET_WORD);
        PolledSensor.pause(3); // start-up time after a reset: 2 ms
        for (int i = 0; i < 10 && (i2c.readRegister(REG_STATUS) & STATUS_IM_UPDATE) != 0; i++) {
            PolledSensor.pause(1);
        }
        byte[] block1 = readRegisters(REG_CALIB_00, Bme280Calibration.BLOCK1_BYTES);
        byte[] block2 = readRegisters(REG_CALIB_26, Bme280Calibration.BLOCK2_BYTES);
        Bme280Calibration calibration = Bme280Calibration.parse(block1, block2);
        if (calibration.t1() == 0 || calibration.p1() == 0) {
            throw SensorException.io("calibration data is blank (dig_T1 or dig_P1 is 0)");
        }
        compensation = new Bme280Compensation(calibration);
        // ctrl_hum takes effect only after a write to ctrl_meas (datasheet 5.4.3): that comes with every sample
        i2c.writeRegister(REG_CTRL_HUM, (byte) CTRL_HUM);
        i2c.writeRegister(REG_CONFIG, (byte) 0); // no IIR filter: each sample stands alone
        triggered = false;
    }

    @Override
    public List<Reading> sample(DeviceRef device, long now) throws SensorException {
        if (!triggered) {
            i2c.writeRegister(REG_CTRL_MEAS, (byte) CTRL_MEAS_FORCED);
            triggered = true;
            PolledSensor.pause(10);
        }
        if ((i2c.readRegister(REG_STATUS) & STATUS_MEASURING) != 0) {
            return null;
        }
        triggered = false;
        byte[] d = readRegisters(REG_DATA, 8);
        int adcP = ((d[0] & 0xFF) << 12) | ((d[1] & 0xFF) << 4) | ((d[2] & 0xFF) >> 4);
        int adcT = ((d[3] & 0xFF) << 12) | ((d[4] & 0xFF) << 4) | ((d[5] & 0xFF) >> 4);
        int adcH = ((d[6] & 0xFF) << 8) | (d[7] & 0xFF);
        if (adcT == 0x80000 || adcP == 0x80000 || adcH == 0x8000) {
            // the reset values: no measurement ran (the sensor was reset or lost power)
            throw SensorException.io("data registers hold their reset values: no measurement ran");
        }
        Bme280Compensation.Sample s = compensation.compensate(adcT, adcP, adcH);
        List<Reading> readings = new ArrayList<>(3);
        PlausibleReadings.add(readings, device, Quantity.TEMPERATURE, s.celsius(), now);
        PlausibleReadings.add(readings, device, Quantity.HUMIDITY, PlausibleReadings.round(s.relativeHumidity(), 2), now);
        PlausibleReadings.add(readings, device, Quantity.PRESSURE, PlausibleReadings.round(s.hectopascal(), 2), now);
        return readings;
    }

    @Override
    public void end() {
        // forced mode: the sensor is asleep between samples already
    }

    @Override
    public long readyTimeoutMillis() {
        return READY_TIMEOUT_MILLIS;
    }

    private byte[] readRegisters(int register, int length) throws SensorException {
        byte[] buffer = new byte[length];
        int got = i2c.readRegister(register, buffer, 0, length);
        if (got != length) {
            throw SensorException.io(String.format("short read at 0x%02X: %d of %d bytes", register, Math.max(got, 0), length));
        }
        return buffer;
    }
}
