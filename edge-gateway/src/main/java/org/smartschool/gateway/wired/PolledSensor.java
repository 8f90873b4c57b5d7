package org.smartschool.gateway.wired;

import java.util.List;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Reading;

/**
 * A sensor the gateway asks for values (the I2C sensors). Implementations talk to the bus; the
 * {@link SensorPoller} decides when, counts failures and reports the sensor offline.
 */
interface PolledSensor {

    /** The chip's name for logs and health ({@code scd4x}). */
    String chip();

    /** Prepares the sensor: after start and before every try while it is offline. */
    void begin() throws SensorException;

    /**
     * One attempt to take a sample.
     *
     * @return the readings, or null when the sensor has no new data yet (ask again soon)
     * @throws SensorException when the sensor does not answer or answers garbage
     */
    List<Reading> sample(DeviceRef device, long now) throws SensorException;

    /** Puts the sensor to rest when the gateway stops; best effort. */
    void end();

    /** How long a sensor may say "not ready" before that counts as a failure. */
    long readyTimeoutMillis();

    /** Waits out a command's execution time from the datasheet (milliseconds on the bus thread). */
    static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A sensor that did not answer or answered garbage. */
    final class SensorException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean crc;

        SensorException(String message, boolean crc) {
            super(message, null, false, false);
            this.crc = crc;
        }

        static SensorException io(String message) {
            return new SensorException(message, false);
        }

        static SensorException crc(String message) {
            return new SensorException(message, true);
        }

        /** True for a CRC mismatch (counted apart from I/O errors). */
        boolean crc() {
            return crc;
        }
    }
}
