package org.smartschool.bridge.codec.zigbee2mqtt;

import java.util.Objects;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;

/**
 * Zigbee2MQTT: the bridge most schools' cheap Zigbee sensors sit behind.
 *
 * <p>Topics (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html), with the
 * default base topic {@code zigbee2mqtt}:
 * <ul>
 *   <li>{@code zigbee2mqtt/<friendly_name>}: the device's JSON state, see {@link StateDecoder};</li>
 *   <li>{@code zigbee2mqtt/<friendly_name>/availability}: online/offline, see {@link AvailabilityDecoder};</li>
 *   <li>{@code zigbee2mqtt/bridge/...}: the bridge's own state, logs, device lists and responses,
 *       ignored on purpose ({@link DecodeResult#ignoredMessage()});</li>
 *   <li>{@code .../set}, {@code .../get}: commands to devices, not measurements: ignored;</li>
 *   <li>an empty payload: the deletion of a retained message (a removed device): ignored.</li>
 * </ul>
 * Friendly names may contain '/' ({@code r101/air}), so which room and device a topic belongs to
 * is the gateway's route ({@code zigbee2mqtt/{room}/{device}}), handed in as the {@link DeviceRef}.
 * Payloads go through {@link JsonPayloadReader} (1 MiB, UTF-8, nesting and number limits).
 */
public final class Zigbee2MqttCodec implements Codec {
    private final StateDecoder state;

    /** The codec for installations whose {@code voc} sensors report ppb (see {@link VocUnit}). */
    public Zigbee2MqttCodec() {
        this(VocUnit.PPB);
    }

    public Zigbee2MqttCodec(VocUnit vocUnit) {
        this.state = new StateDecoder(Objects.requireNonNull(vocUnit, "vocUnit"));
    }

    @Override
    public String name() {
        return "zigbee2mqtt";
    }

    @Override
    public String description() {
        return "Zigbee2MQTT device state JSON on zigbee2mqtt/<friendly_name> and its /availability"
                + " (online/offline); zigbee2mqtt/bridge/... ignored";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        Objects.requireNonNull(device, "device");
        try {
            String[] levels = message.topic().split("/", -1);
            String last = levels[levels.length - 1];
            if ((levels.length >= 2 && levels[1].equals("bridge")) || last.equals("set") || last.equals("get")
                    || message.payload().length == 0) {
                return DecodeResult.ignoredMessage();
            }
            if (last.equals("availability")) {
                return AvailabilityDecoder.decode(message.payload(), device, message.receivedAt());
            }
            JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
            if (!parsed.ok()) {
                return DecodeResult.rejected(parsed.problem());
            }
            return state.decode(parsed.root(), device, message.receivedAt());
        } catch (RuntimeException e) {
            // a bug, not bad input; still no exception may reach the gateway's receive loop
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "$", "decoder failed: "
                    + e.getClass().getSimpleName() + ": " + ProblemText.clean(String.valueOf(e.getMessage()), 160)));
        }
    }
}
