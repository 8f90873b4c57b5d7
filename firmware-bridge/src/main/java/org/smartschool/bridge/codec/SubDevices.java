package org.smartschool.bridge.codec;

import java.util.Optional;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Ids;

/**
 * Ids for the extra sensors of one configured device.
 *
 * <p>One firmware device often carries several sensors of the same quantity: a Tasmota board with
 * two DS18B20 probes in a lab fridge, a Shelly with an add-on, a two-channel power meter. Two
 * readings of one quantity from one device at one timestamp would overwrite each other in the
 * time-series store, so every sensor beyond the device's primary one gets its own device id:
 * the configured id, a dot, and the sensor's own name ({@code fridge-1.DS18B20-2}), in the same
 * room. Codecs decide which sensor is primary by a fixed, documented rule so the ids are stable.
 */
public final class SubDevices {
    private SubDevices() {
    }

    /**
     * {@code parent.suffix}, with characters an id may not hold replaced by '-'; empty when the
     * result would be longer than an id may be (64 characters).
     */
    public static Optional<DeviceRef> child(DeviceRef parent, String suffix) {
        StringBuilder id = new StringBuilder(parent.device()).append('.');
        for (int i = 0; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            id.append(ok ? c : '-');
        }
        String value = id.toString();
        return Ids.isValid(value) ? Optional.of(new DeviceRef(parent.school(), parent.room(), value)) : Optional.empty();
    }
}
