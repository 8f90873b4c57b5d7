package org.smartschool.bridge.codec.zigbee2mqtt;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;

/** Zigbee2MQTT device state JSON on {@code zigbee2mqtt/<friendly_name>}. */
public final class Zigbee2MqttCodec implements Codec {
    @Override
    public String name() {
        return "zigbee2mqtt";
    }

    @Override
    public String description() {
        return "Zigbee2MQTT device state JSON and availability";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        throw new UnsupportedOperationException("TODO: being written");
    }
}
