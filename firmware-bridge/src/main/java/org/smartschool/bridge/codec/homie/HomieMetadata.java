package org.smartschool.bridge.codec.homie;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a Homie device has said about its properties ({@code $datatype}, {@code $unit}, or the
 * Homie 5 {@code $description}), remembered so that a later value can be decoded.
 *
 * <p><b>Why here.</b> Homie publishes a property's meaning and its values on different topics,
 * so decoding a value needs earlier messages. The {@link org.smartschool.bridge.codec.Codec}
 * contract is a function of one message; rather than widen it for every codec, the Homie codec
 * instance owns this memory, keyed by the configured device and the Homie device id, and nothing
 * else in it changes between messages. The attributes are retained on the broker and re-sent on
 * every (re)subscription, so nothing is lost when a gateway restarts with an empty memory.
 *
 * <p><b>Bound.</b> At most {@code maxDevices} devices (least recently used ones are forgotten
 * first) and {@code maxProperties} properties per device (further ones are not remembered and
 * their values are reported as undecodable); attribute values longer than {@link #MAX_VALUE_LENGTH}
 * characters are refused. With the defaults (256 devices x 64 properties, each entry a short key
 * and two short strings, about 200 bytes) the memory stays under 4 MB however many devices a
 * broker shows, far more than a school has.
 *
 * <p>Thread-safe: every method synchronises on this object (decoding may be called from
 * several MQTT callback threads).
 */
final class HomieMetadata {
    static final int DEFAULT_MAX_DEVICES = 256;
    static final int DEFAULT_MAX_PROPERTIES = 64;
    static final int MAX_VALUE_LENGTH = 32;

    /** What is known of one property; a null field has not been received. */
    record Property(String datatype, String unit) {
    }

    /** One device's properties, and a value derived from them that is recomputed only when they change. */
    private static final class Entry {
        final Map<String, Property> properties = new HashMap<>();
        Map<String, String> derived;
    }

    private final int maxDevices;
    private final int maxProperties;
    private final LinkedHashMap<String, Entry> devices;

    HomieMetadata(int maxDevices, int maxProperties) {
        if (maxDevices < 1 || maxProperties < 1) {
            throw new IllegalArgumentException("maxDevices and maxProperties must be at least 1");
        }
        this.maxDevices = maxDevices;
        this.maxProperties = maxProperties;
        this.devices = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > HomieMetadata.this.maxDevices;
            }
        };
    }

    /** Why the attribute was not remembered, or null when it was. */
    synchronized String learnDatatype(String device, String property, String datatype) {
        return learn(device, property, datatype, null);
    }

    /** Why the attribute was not remembered, or null when it was. An empty unit is "no unit". */
    synchronized String learnUnit(String device, String property, String unit) {
        return learn(device, property, null, unit);
    }

    private String learn(String device, String property, String datatype, String unit) {
        String value = datatype != null ? datatype : unit;
        if (value.length() > MAX_VALUE_LENGTH) {
            return "attribute value longer than " + MAX_VALUE_LENGTH + " characters; not remembered";
        }
        Entry entry = devices.computeIfAbsent(device, d -> new Entry());
        Map<String, Property> properties = entry.properties;
        Property known = properties.get(property);
        if (known == null && properties.size() >= maxProperties) {
            return "device already has " + maxProperties + " properties remembered; this one is not";
        }
        Property merged = known == null ? new Property(datatype, unit)
                : new Property(datatype != null ? datatype : known.datatype(), unit != null ? unit : known.unit());
        properties.put(property, merged);
        entry.derived = null;
        return null;
    }

    /**
     * Replaces everything known of a device with a Homie 5 description.
     *
     * @return the properties that were not remembered (over the bound), empty when all were
     */
    synchronized List<String> describe(String device, Map<String, Property> described) {
        Entry entry = new Entry();
        Map<String, Property> properties = entry.properties;
        List<String> dropped = new ArrayList<>();
        described.forEach((key, property) -> {
            boolean tooLong = (property.datatype() != null && property.datatype().length() > MAX_VALUE_LENGTH)
                    || (property.unit() != null && property.unit().length() > MAX_VALUE_LENGTH);
            if (properties.size() >= maxProperties || tooLong) {
                dropped.add(key);
            } else {
                properties.put(key, property);
            }
        });
        devices.put(device, entry);
        return dropped;
    }

    /** What is known of {@code property} ({@code node/property}), or null when nothing is. */
    synchronized Property get(String device, String property) {
        Entry entry = devices.get(device);
        return entry == null ? null : entry.properties.get(property);
    }

    /**
     * A value computed from all properties of a device (which sensor of a quantity is primary),
     * cached until the device's properties change; empty when the device is unknown.
     */
    synchronized Map<String, String> derived(String device, Function<Map<String, Property>, Map<String, String>> compute) {
        Entry entry = devices.get(device);
        if (entry == null) {
            return Map.of();
        }
        if (entry.derived == null) {
            entry.derived = Map.copyOf(compute.apply(Collections.unmodifiableMap(entry.properties)));
        }
        return entry.derived;
    }

    /** Drops a device that was removed (Homie 5: an empty {@code $state}). */
    synchronized void forget(String device) {
        devices.remove(device);
    }

    synchronized int deviceCount() {
        return devices.size();
    }
}
