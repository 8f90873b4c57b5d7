package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;

import com.pi4j.io.i2c.I2C;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Sensirion SCD40/SCD41 (CO2, temperature, humidity) at register level, over Pi4J I2C, after the
 * SCD4x datasheet: 16-bit commands sent most significant byte first; answers are words each
 * followed by a {@link SensirionCrc8 CRC-8}. The sensor measures by itself every 5 s once started;
 * the gateway asks {@code get_data_ready_status} and reads a measurement when one is new.
 */
final class Scd4xDriver implements PolledSensor {
    static final int START_PERIODIC_MEASUREMENT = 0x21B1;
    static final int STOP_PERIODIC_MEASUREMENT = 0x3F86;
    static final int GET_DATA_READY_STATUS = 0xE4B8;
    static final int READ_MEASUREMENT = 0xEC05;
    /** The datasheet's execution time of stop_periodic_measurement. */
    static final long STOP_MILLIS = 500;
    /** Periodic mode gives a sample every 5 s; two periods without one is a failure. */
    static final long READY_TIMEOUT_MILLIS = 12_000;

    private final I2C i2c;
    private final long stopMillis;
    private final long readyTimeoutMillis;

    Scd4xDriver(I2C i2c) {
        this(i2c, STOP_MILLIS, READY_TIMEOUT_MILLIS);
    }

    /** For tests: a simulated sensor needs no 500 ms to stop, nor 12 s to be declared silent. */
    Scd4xDriver(I2C i2c, long stopMillis, long readyTimeoutMillis) {
        this.i2c = i2c;
        this.stopMillis = stopMillis;
        this.readyTimeoutMillis = readyTimeoutMillis;
    }

    @Override
    public String chip() {
        return "scd4x";
    }

    /**
     * Stops a periodic measurement that may still run (the gateway restarted, the sensor did not),
     * since the sensor refuses every other command meanwhile, then starts one.
     */
    @Override
    public void begin() throws SensorException {
        command(STOP_PERIODIC_MEASUREMENT);
        PolledSensor.pause(stopMillis);
        command(START_PERIODIC_MEASUREMENT);
    }

    @Override
    public List<Reading> sample(DeviceRef device, long now) throws SensorException {
        command(GET_DATA_READY_STATUS);
        PolledSensor.pause(1);
        byte[] status = read(3);
        int word;
        try {
            word = Scd4xMeasurement.word(status, 0, "data ready status");
        } catch (Scd4xMeasurement.CrcMismatchException e) {
            throw SensorException.crc(e.getMessage());
        }
        if ((word & 0x07FF) == 0) {
            return null; // the datasheet: the 11 least significant bits are 0 while no new sample is ready
        }
        command(READ_MEASUREMENT);
        PolledSensor.pause(1);
        Scd4xMeasurement m;
        try {
            m = Scd4xMeasurement.decode(read(Scd4xMeasurement.RESPONSE_BYTES));
        } catch (Scd4xMeasurement.CrcMismatchException e) {
            throw SensorException.crc(e.getMessage());
        }
        List<Reading> readings = new ArrayList<>(3);
        PlausibleReadings.add(readings, device, Quantity.CO2, m.co2Ppm(), now);
        PlausibleReadings.add(readings, device, Quantity.TEMPERATURE, PlausibleReadings.round(m.temperatureCelsius(), 2), now);
        PlausibleReadings.add(readings, device, Quantity.HUMIDITY, PlausibleReadings.round(m.humidityPercent(), 2), now);
        return readings;
    }

    @Override
    public void end() {
        try {
            command(STOP_PERIODIC_MEASUREMENT);
        } catch (SensorException e) {
            // the sensor is gone; nothing to stop
        }
    }

    @Override
    public long readyTimeoutMillis() {
        return readyTimeoutMillis;
    }

    private void command(int code) throws SensorException {
        int written = i2c.write((byte) (code >>> 8), (byte) code);
        if (written != 2) {
            throw SensorException.io(String.format("command 0x%04X: %d of 2 bytes written", code, written));
        }
    }

    private byte[] read(int length) throws SensorException {
        byte[] buffer = new byte[length];
        int got = i2c.read(buffer, 0, length);
        if (got != length) {
            throw SensorException.io("short read: " + Math.max(got, 0) + " of " + length + " bytes");
        }
        return buffer;
    }
}
