package org.smartschool.bridge.codec.homie;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.SubDevices;
import org.smartschool.bridge.codec.plaintext.PlainPayload;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.BinaryRule;
import org.smartschool.bridge.codec.quantity.NameRules;
import org.smartschool.bridge.codec.quantity.QuantityRule;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Homie 3/4 (https://homieiot.github.io/specification/spec-core-v4_0_0/) and Homie 5
 * (https://homieiot.github.io/specification/) devices.
 *
 * <ul>
 *   <li>Property metadata is learnt from earlier messages and kept in a bounded memory owned by
 *       this codec instance ({@link HomieMetadata}, which documents the choice and the bound):
 *       {@code <node>/<property>/$datatype} and {@code $unit} (Homie 3/4) or the
 *       {@code $description} JSON (Homie 5). These messages produce no records.</li>
 *   <li>{@code <node>/<property>} values: {@code integer}/{@code float} properties become readings,
 *       {@code boolean} ones events; string, enum, color, datetime, duration and json properties
 *       are not room data. A value whose metadata has not been seen is reported, not guessed.</li>
 *   <li>The quantity comes from the property id (then the node id) through {@link NameRules}, else
 *       from an unambiguous {@code $unit} ({@code °F} can only be a temperature, {@code %} could be
 *       anything); the value is converted from {@code $unit} (°C, °F, K, %, ppm, ppb, lx, Pa, hPa,
 *       kPa, W, kW, Wh, kWh, V, mV, A, mA...) to the canonical unit.</li>
 *   <li>{@code $state}: {@code ready} is {@link EventType#DEVICE_ONLINE}; {@code lost} and
 *       {@code disconnected} are {@link EventType#DEVICE_OFFLINE} (attribute {@code state});
 *       Homie 4's {@code alert} is a {@link EventType#FAULT}; {@code init} and {@code sleeping}
 *       (a battery device between reports is not offline) are ignored on purpose.</li>
 * </ul>
 *
 * <p>Homie messages carry no time: the gateway's receive time is used. When a device has several
 * properties of one quantity (two temperature probes), the first by {@code node/property} order is
 * the configured device and the others are sub-devices named after their node
 * ({@link SubDevices}); the order is taken from the metadata, which a Homie device publishes in
 * full before it reports {@code ready}.
 */
public final class HomieCodec implements Codec {
    private final NameRules rules;
    private final HomieMetadata metadata;

    /** Built-in name rules and the default memory bound. */
    public HomieCodec() {
        this(NameRules.defaults(), HomieMetadata.DEFAULT_MAX_DEVICES, HomieMetadata.DEFAULT_MAX_PROPERTIES);
    }

    /**
     * @param maxDevices Homie devices whose metadata is remembered (least recently used forgotten first)
     * @param maxPropertiesPerDevice properties remembered per device
     */
    public HomieCodec(NameRules rules, int maxDevices, int maxPropertiesPerDevice) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.metadata = new HomieMetadata(maxDevices, maxPropertiesPerDevice);
    }

    @Override
    public String name() {
        return "homie";
    }

    @Override
    public String description() {
        return "Homie 3/4/5 property values decoded by $datatype/$unit (or the v5 $description), $state lifecycle events";
    }

    /** How many Homie devices the metadata memory currently holds. */
    public int rememberedDevices() {
        return metadata.deviceCount();
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        HomieTopic topic = HomieTopic.parse(message.topic());
        if (topic.kind() == HomieTopic.Kind.OTHER) {
            return DecodeResult.ignoredMessage();
        }
        String memoryKey = device + "|" + topic.device();
        return switch (topic.kind()) {
            case STATE -> state(message, device, memoryKey);
            case DESCRIPTION -> description(message, device, memoryKey);
            case PROPERTY_ATTRIBUTE -> attribute(message, device, memoryKey, topic);
            case PROPERTY_VALUE -> value(message, device, memoryKey, topic);
            case STATS_BATTERY -> number(message, device, "$stats/battery", Quantity.BATTERY, "%");
            case OTHER -> DecodeResult.ignoredMessage();
        };
    }

    private DecodeResult state(RawMessage message, DeviceRef device, String memoryKey) {
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return rejected(device, "$state", text.problem());
        }
        String state = text.value();
        long at = message.receivedAt();
        return switch (state) {
            case "ready" -> events(DeviceEvent.of(device, EventType.DEVICE_ONLINE, at, Map.of()));
            case "lost", "disconnected" -> events(DeviceEvent.of(device, EventType.DEVICE_OFFLINE, at, Map.of("state", state)));
            case "alert" -> events(DeviceEvent.of(device, EventType.FAULT, at, Map.of("code", "alert")));
            case "init", "sleeping" -> DecodeResult.ignoredMessage();
            case "" -> {
                metadata.forget(memoryKey); // Homie 5: an empty $state removes the device
                yield DecodeResult.ignoredMessage();
            }
            default -> rejected(device, "$state", "unknown state " + ProblemText.quote(state)
                    + "; expected init, ready, disconnected, sleeping, lost or alert");
        };
    }

    private DecodeResult attribute(RawMessage message, DeviceRef device, String memoryKey, HomieTopic topic) {
        String field = topic.propertyKey() + "/" + topic.attribute();
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return rejected(device, field, text.problem());
        }
        String why = topic.attribute().equals("$datatype")
                ? metadata.learnDatatype(memoryKey, topic.propertyKey(), text.value().toLowerCase(Locale.ROOT))
                : metadata.learnUnit(memoryKey, topic.propertyKey(), text.value());
        return why == null ? DecodeResult.ignoredMessage() : rejected(device, field, why);
    }

    /** Homie 5: {@code {"homie":"5.0","nodes":{"<node>":{"properties":{"<property>":{"datatype":..,"unit":..}}}}}}. */
    private DecodeResult description(RawMessage message, DeviceRef device, String memoryKey) {
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
        if (!parsed.ok()) {
            return DecodeResult.rejected(parsed.problem());
        }
        JsonNode nodes = parsed.root().path("nodes");
        if (!parsed.root().isObject() || !(nodes.isObject() || nodes.isMissingNode())) {
            return rejected(device, "$description.nodes", "expected an object of nodes, got "
                    + JsonPayloadReader.describe(parsed.root().isObject() ? nodes : parsed.root()));
        }
        List<DecodeProblem> problems = new ArrayList<>();
        Map<String, HomieMetadata.Property> described = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> nodeEntries = nodes.fields();
        while (nodeEntries.hasNext()) {
            Map.Entry<String, JsonNode> node = nodeEntries.next();
            JsonNode properties = node.getValue().path("properties");
            Iterator<Map.Entry<String, JsonNode>> propertyEntries = properties.fields();
            while (propertyEntries.hasNext()) {
                Map.Entry<String, JsonNode> property = propertyEntries.next();
                String path = "$description.nodes." + ProblemText.clean(node.getKey(), 40) + ".properties."
                        + ProblemText.clean(property.getKey(), 40);
                JsonNode datatype = property.getValue().path("datatype");
                JsonNode unit = property.getValue().path("unit");
                if (!datatype.isTextual() || !(unit.isTextual() || unit.isMissingNode())) {
                    problems.add(new DecodeProblem(device.toString(), path,
                            "expected a datatype string and an optional unit string; property not remembered"));
                    continue;
                }
                described.put(node.getKey() + "/" + property.getKey(),
                        new HomieMetadata.Property(datatype.textValue().toLowerCase(Locale.ROOT), unit.isTextual() ? unit.textValue() : ""));
            }
        }
        for (String dropped : metadata.describe(memoryKey, described)) {
            problems.add(new DecodeProblem(device.toString(), "$description", "property " + ProblemText.quote(dropped)
                    + " not remembered (over the memory bound or an attribute too long)"));
        }
        return problems.isEmpty() ? DecodeResult.ignoredMessage() : DecodeResult.of(List.of(), List.of(), problems);
    }

    private DecodeResult value(RawMessage message, DeviceRef device, String memoryKey, HomieTopic topic) {
        String field = topic.propertyKey();
        HomieMetadata.Property meta = metadata.get(memoryKey, field);
        if (meta == null || meta.datatype() == null) {
            return rejected(device, field, "the property's $datatype (or the device's $description) has not been"
                    + " received yet; value not decoded");
        }
        return switch (meta.datatype()) {
            case "integer", "float" -> numeric(message, device, memoryKey, topic, meta);
            case "boolean" -> bool(message, device, topic);
            default -> DecodeResult.ignoredMessage(); // string, enum, color, datetime, duration, json
        };
    }

    /** The quantity and unit of a numeric property, or why there is none; null quantity means ignore on purpose. */
    private record Resolution(Quantity quantity, String unit, String problem, boolean ignore) {
    }

    private Resolution resolve(String node, String property, HomieMetadata.Property meta) {
        Optional<QuantityRule> rule = rules.numeric(property).or(() -> rules.numeric(node));
        String unit = meta.unit() == null || meta.unit().isEmpty() ? null : meta.unit();
        if (rule.isPresent()) {
            Optional<Quantity> q = rule.get().measured();
            if (q.isEmpty()) {
                return new Resolution(null, null, null, true);
            }
            if (unit == null) {
                return new Resolution(q.get(), rule.get().unit(), null, false);
            }
            if (!UnitConversions.accepts(q.get(), unit)) {
                return new Resolution(null, null, "$unit " + ProblemText.quote(unit) + " is not a unit of " + q.get().id()
                        + " (expected one of " + UnitConversions.acceptedUnits(q.get()) + "); value not decoded", false);
            }
            return new Resolution(q.get(), unit, null, false);
        }
        Optional<Quantity> byUnit = UnitConversions.unambiguousQuantityOf(unit);
        if (byUnit.isPresent()) {
            return new Resolution(byUnit.get(), unit, null, false);
        }
        return new Resolution(null, null, "unknown quantity: no rule maps the Homie property " + ProblemText.quote(property)
                + " of node " + ProblemText.quote(node) + (unit == null ? "" : " with $unit " + ProblemText.quote(unit))
                + " to a quantity; add one to the homie name rules", false);
    }

    private DecodeResult numeric(RawMessage message, DeviceRef device, String memoryKey, HomieTopic topic,
                                 HomieMetadata.Property meta) {
        String field = topic.propertyKey();
        Resolution resolved = resolve(topic.node(), topic.property(), meta);
        if (resolved.ignore()) {
            return DecodeResult.ignoredMessage();
        }
        if (resolved.problem() != null) {
            return rejected(device, field, resolved.problem());
        }
        Optional<DeviceRef> target = target(device, memoryKey, topic);
        if (target.isEmpty()) {
            return rejected(device, field, "second " + resolved.quantity().id() + " property cannot be given its own device id"
                    + " (longer than 64 characters); value not decoded");
        }
        return number(message, target.get(), device, field, resolved.quantity(), resolved.unit());
    }

    private DecodeResult number(RawMessage message, DeviceRef device, String field, Quantity quantity, String unit) {
        return number(message, device, device, field, quantity, unit);
    }

    private DecodeResult number(RawMessage message, DeviceRef to, DeviceRef configured, String field, Quantity quantity,
                                String unit) {
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return rejected(configured, field, text.problem());
        }
        PlainPayload.Number number = PlainPayload.number(text.value());
        if (!number.ok()) {
            return rejected(configured, field, number.problem());
        }
        double value = UnitConversions.toCanonical(quantity, unit, number.value()).orElseThrow();
        String implausible = PlausibleRanges.problem(quantity, value);
        if (implausible != null) {
            return rejected(configured, field, implausible);
        }
        return DecodeResult.of(List.of(Reading.of(to, quantity, value, message.receivedAt())), List.of(), List.of());
    }

    /**
     * The configured device, or a sub-device when an earlier (by node/property order) numeric
     * property of this device measures the same quantity.
     */
    private Optional<DeviceRef> target(DeviceRef device, String memoryKey, HomieTopic topic) {
        String suffix = metadata.derived(memoryKey, this::placements).getOrDefault(topic.propertyKey(), "");
        return suffix.isEmpty() ? Optional.of(device) : SubDevices.child(device, suffix);
    }

    /**
     * For every numeric property that shares its quantity with an earlier one, the sub-device suffix:
     * its node, or node-property when the earlier one is in the same node.
     */
    private Map<String, String> placements(Map<String, HomieMetadata.Property> properties) {
        Map<Quantity, List<String>> byQuantity = new TreeMap<>();
        new TreeMap<>(properties).forEach((key, meta) -> {
            if ("integer".equals(meta.datatype()) || "float".equals(meta.datatype())) {
                int slash = key.indexOf('/');
                Resolution r = resolve(key.substring(0, slash), key.substring(slash + 1), meta);
                if (r.quantity() != null) {
                    byQuantity.computeIfAbsent(r.quantity(), q -> new ArrayList<>()).add(key);
                }
            }
        });
        Map<String, String> suffixes = new LinkedHashMap<>();
        byQuantity.values().forEach(keys -> {
            for (int i = 1; i < keys.size(); i++) {
                String key = keys.get(i);
                String node = key.substring(0, key.indexOf('/'));
                boolean nodeShared = keys.subList(0, i).stream().anyMatch(other -> other.startsWith(node + "/"));
                suffixes.put(key, nodeShared ? key.replace('/', '-') : node);
            }
        });
        return suffixes;
    }

    private DecodeResult bool(RawMessage message, DeviceRef device, HomieTopic topic) {
        String field = topic.propertyKey();
        Optional<BinaryRule> rule = rules.binary(topic.property()).or(() -> rules.binary(topic.node()));
        if (rule.isEmpty()) {
            return rejected(device, field, "unknown quantity: no rule maps the Homie boolean property "
                    + ProblemText.quote(topic.property()) + " of node " + ProblemText.quote(topic.node())
                    + " to an event; add one to the homie name rules");
        }
        if (rule.get().kind() == BinaryKind.IGNORE) {
            return DecodeResult.ignoredMessage();
        }
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return rejected(device, field, text.problem());
        }
        boolean on;
        switch (text.value()) {
            case "true" -> on = true;
            case "false" -> on = false;
            default -> {
                return rejected(device, field, "expected true or false, got " + ProblemText.quote(text.value()));
            }
        }
        return events(rule.get().kind().event(device, on, message.receivedAt()));
    }

    private static DecodeResult events(DeviceEvent event) {
        return DecodeResult.of(List.of(), List.of(event), List.of());
    }

    private static DecodeResult rejected(DeviceRef device, String field, String message) {
        return DecodeResult.rejected(new DecodeProblem(device.toString(), field, message));
    }
}
