package org.smartschool.bridge.codec;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.tasmota.TasmotaCodec;
import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;

/** The codecs known by name. Configuration names a codec per topic pattern; this finds it. */
public final class CodecRegistry {
    private final Map<String, Codec> byName = new LinkedHashMap<>();

    public CodecRegistry(Collection<? extends Codec> codecs) {
        for (Codec codec : codecs) {
            if (byName.putIfAbsent(codec.name(), codec) != null) {
                throw new IllegalArgumentException("two codecs are named '" + codec.name() + "'");
            }
        }
    }

    /** Every codec this release ships. */
    public static CodecRegistry standard() {
        return new CodecRegistry(java.util.List.of(
                new Zigbee2MqttCodec(),
                new TasmotaCodec(),
                new EspHomeCodec(),
                new ShellyGen2Codec(),
                new HomieCodec()));
    }

    public Optional<Codec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @throws IllegalArgumentException naming the unknown codec and listing the known ones */
    public Codec require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown codec '" + name + "': known codecs are " + byName.keySet()));
    }

    public Collection<Codec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
