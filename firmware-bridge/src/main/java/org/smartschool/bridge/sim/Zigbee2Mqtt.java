package org.smartschool.bridge.sim;

/**
 * What every device behind the school's Zigbee2MQTT shares: the availability message
 * (https://www.zigbee2mqtt.io/guide/configuration/device-availability.html), JSON since
 * Zigbee2MQTT 2.0, published by the bridge itself when it stops hearing from a device.
 */
final class Zigbee2Mqtt {
    private static final byte[] ONLINE = Payloads.utf8("{\"state\":\"online\"}");
    private static final byte[] OFFLINE = Payloads.utf8("{\"state\":\"offline\"}");

    private Zigbee2Mqtt() {
    }

    /** {@code <base>/<friendly_name>/availability}. */
    static SimulatedMessage availability(String deviceTopic, boolean online, long at) {
        return new SimulatedMessage(deviceTopic + "/availability", online ? ONLINE : OFFLINE, at);
    }
}
