package org.smartschool.bridge.codec;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smartschool.bridge.codec.cameraanalytics.CameraAnalyticsCodec;
import org.smartschool.bridge.codec.cardreader.CardReaderCodec;
import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.lwm2m.Lwm2mCodec;
import org.smartschool.bridge.codec.senml.SenmlCodec;
import org.smartschool.bridge.codec.serialline.SerialLineCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.sparkplug.SparkplugCodec;
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

    /**
     * Every codec this release ships, as fresh instances: some codecs keep per-connection state
     * (sparkplug-b learns alias maps from BIRTH messages), so each south connection needs its own registry.
     */
    public static CodecRegistry standard() {
        return new CodecRegistry(List.of(
                new Zigbee2MqttCodec(),
                new TasmotaCodec(),
                new EspHomeCodec(),
                new ShellyGen2Codec(),
                new HomieCodec(),
                new SenmlCodec(),
                new Lwm2mCodec(),
                new SparkplugCodec(),
                new SerialLineCodec(),
                new CardReaderCodec(),
                new CameraAnalyticsCodec()));
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
