package org.smartschool.bridge.codec.sparkplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import com.google.protobuf.InvalidProtocolBufferException;
import org.eclipse.tahu.protobuf.SparkplugBProto;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.NameAliases;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.codec.sparkplug.EdgeNodeSessions.Definition;
import org.smartschool.bridge.codec.sparkplug.EdgeNodeSessions.MetricTable;
import org.smartschool.bridge.codec.sparkplug.EdgeNodeSessions.Session;
import org.smartschool.bridge.codec.sparkplug.SparkplugTopic.MessageType;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Sparkplug B (Eclipse Sparkplug 3.0) as industrial edge nodes and lab equipment publish it:
 * {@code spBv1.0/<group>/<NBIRTH|NDATA|NDEATH|DBIRTH|DDATA|DDEATH>/<edge node>[/<device>]}, protobuf
 * payloads read with Eclipse Tahu's generated {@code SparkplugBProto} bindings.
 *
 * <p><b>State, deliberately.</b> Sparkplug DATA messages name metrics by the aliases their BIRTH
 * defined, and usually omit datatypes, so this codec remembers each edge node's BIRTH definitions, its
 * bdSeq and its last {@code seq} ({@link EdgeNodeSessions}, bounded by {@link SparkplugSettings}). An
 * instance is therefore <em>not</em> thread-safe and must be confined to one thread: one instance per
 * gateway south connection, fed by that connection's single message callback, in arrival order.
 * {@link org.smartschool.bridge.codec.CodecRegistry#standard()} creates a fresh instance each call.
 *
 * <p>What each message becomes:
 * <ul>
 *   <li>NBIRTH opens a new session (forgetting the node's previous definitions and devices), DBIRTH
 *       replaces the device's definitions; both yield a DEVICE_ONLINE event and readings of their values.</li>
 *   <li>NDATA/DDATA yield readings and events. A metric whose alias no BIRTH defined is dropped with the
 *       problem "no BIRTH seen for alias N: metric dropped; a rebirth is needed" and counted
 *       ({@link SparkplugCounters#metricsWithoutBirth()}); metrics sent by name decode without a BIRTH
 *       when their datatype (or value) says what they are.</li>
 *   <li>NDEATH and DDEATH yield a DEVICE_OFFLINE event and forget the node's (device's) definitions. An
 *       NDEATH whose bdSeq is not the current session's is a late will message of an older session and is
 *       ignored (counted). NDEATH is the MQTT will registered at connect time, so its own timestamp is
 *       stale: the receive time is used.</li>
 *   <li>A {@code seq} that is not one more than the edge node's previous one (mod 256) is counted as a
 *       gap ({@link SparkplugCounters#seqGaps()}), not reported as a problem: the message itself decodes
 *       fine; the gateway exports the counter and may ask for a rebirth.</li>
 *   <li>NCMD/DCMD (commands to edge nodes) and host STATE messages are ignored on purpose.</li>
 * </ul>
 * Metric names map to quantities by {@link SparkplugSettings#quantityOf}; the unit is the metric's
 * {@code engUnit} (or {@code unit}/{@code units}) property, from the DATA message or its BIRTH, else the
 * canonical unit. Booleans named like occupancy, door, smoke ... become events. Control metrics
 * ({@code bdSeq}, {@code Node Control/*}, {@code Device Control/*}, {@code Properties/*}), null values
 * and text are skipped; numbers and booleans of no known meaning are counted
 * ({@link SparkplugCounters#unmappedMetrics()}) rather than reported, because industrial nodes publish
 * many tags a school does not monitor.
 */
public final class SparkplugCodec implements Codec {
    /** Metric properties that carry the engineering unit (Ignition uses engUnit). */
    private static final List<String> UNIT_PROPERTIES = List.of("engunit", "engunits", "unit", "units");
    /** How far after its arrival a timestamp may be before the edge node's clock is distrusted. */
    private static final long MAX_AHEAD_MILLIS = 60 * 60 * 1000L;

    private final SparkplugSettings settings;
    private final EdgeNodeSessions sessions;
    private long seqGaps;
    private long metricsWithoutBirth;
    private long unmappedMetrics;
    private long staleDeaths;

    public SparkplugCodec(SparkplugSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sessions = new EdgeNodeSessions(settings.maxEdgeNodes(), settings.maxMetricsPerEdgeNode());
    }

    public SparkplugCodec() {
        this(SparkplugSettings.defaults());
    }

    @Override
    public String name() {
        return "sparkplug-b";
    }

    @Override
    public String description() {
        return "Sparkplug B protobuf (Eclipse Tahu) on spBv1.0/<group>/<N|D><BIRTH|DATA|DEATH>/<edge>[/<device>], "
                + "with alias maps learnt from BIRTH messages";
    }

    /** What this instance counted so far; read from the thread that owns it. */
    public SparkplugCounters counters() {
        return new SparkplugCounters(seqGaps, metricsWithoutBirth, unmappedMetrics, staleDeaths, sessions.forgotten());
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        if (SparkplugTopic.isHostState(message.topic())) {
            return DecodeResult.ignoredMessage();
        }
        SparkplugTopic topic = SparkplugTopic.parse(message.topic());
        if (topic == null) {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "topic " + ProblemText.quote(message.topic())
                    + " is not Sparkplug B: expected spBv1.0/<group>/<NBIRTH|NDATA|NDEATH|DBIRTH|DDATA|DDEATH>/<edge node>[/<device>]"));
        }
        if (topic.type() == MessageType.NCMD || topic.type() == MessageType.DCMD) {
            return DecodeResult.ignoredMessage();
        }
        if (message.payload().length > JsonPayloadReader.MAX_PAYLOAD_BYTES) {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "payload is " + message.payload().length
                    + " bytes, more than the " + JsonPayloadReader.MAX_PAYLOAD_BYTES + " bytes (1 MiB) a device message may have; not parsed"));
        }
        SparkplugBProto.Payload payload;
        try {
            payload = SparkplugBProto.Payload.parseFrom(message.payload());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "payload is not a Sparkplug B protobuf: "
                    + ProblemText.clean(String.valueOf(e.getMessage()), 160)));
        }
        Decoding decoding = new Decoding(device, message.receivedAt(), topic, payload);
        return decoding.run();
    }

    /** One message being decoded against this codec's sessions. */
    private final class Decoding {
        final DeviceRef device;
        final String who;
        final long receivedAt;
        final SparkplugTopic topic;
        final SparkplugBProto.Payload payload;
        final List<Reading> readings = new ArrayList<>();
        final List<DeviceEvent> events = new ArrayList<>(1);
        final List<DecodeProblem> problems = new ArrayList<>(0);
        /** the payload's timestamp when it can be believed, else the receive time */
        long messageTime;

        Decoding(DeviceRef device, long receivedAt, SparkplugTopic topic, SparkplugBProto.Payload payload) {
            this.device = device;
            this.who = device.toString();
            this.receivedAt = receivedAt;
            this.topic = topic;
            this.payload = payload;
        }

        DecodeResult run() {
            messageTime = payload.hasTimestamp() ? believable(payload.getTimestamp(), "$.timestamp") : receivedAt;
            String key = topic.edgeNodeKey();
            switch (topic.type()) {
                case NBIRTH -> {
                    Session session = sessions.open(key);
                    session.bdSeq = bdSeq();
                    sequence(session, true);
                    metrics(session, session.node, true);
                    events.add(event(EventType.DEVICE_ONLINE, messageTime));
                }
                case DBIRTH -> {
                    Session session = sessions.findOrOpen(key);
                    sequence(session, false);
                    metrics(session, sessions.rebirthDevice(session, topic.device()), true);
                    events.add(event(EventType.DEVICE_ONLINE, messageTime));
                }
                case NDATA, DDATA -> {
                    Session session = sessions.find(key);
                    MetricTable table = null;
                    if (session != null) {
                        sequence(session, false);
                        table = topic.device() == null ? session.node : session.devices.get(topic.device());
                    }
                    metrics(session, table, false);
                }
                case DDEATH -> {
                    Session session = sessions.find(key);
                    if (session != null) {
                        sequence(session, false);
                        sessions.forgetDevice(session, topic.device());
                    }
                    events.add(event(EventType.DEVICE_OFFLINE, messageTime));
                }
                case NDEATH -> {
                    Session session = sessions.find(key);
                    long bdSeq = bdSeq();
                    if (session != null && session.bdSeq >= 0 && bdSeq >= 0 && bdSeq != session.bdSeq) {
                        staleDeaths++; // the will of an earlier connection, delivered after the node came back
                        return DecodeResult.ignoredMessage();
                    }
                    sessions.close(key);
                    events.add(event(EventType.DEVICE_OFFLINE, receivedAt));
                }
                default -> throw new IllegalStateException("unexpected " + topic.type());
            }
            return DecodeResult.of(readings, events, problems);
        }

        private DeviceEvent event(EventType type, long timestamp) {
            Map<String, String> attributes = topic.device() == null
                    ? Map.of("sparkplug", topic.type().name(), "group", topic.group(), "edge_node", topic.edgeNode())
                    : Map.of("sparkplug", topic.type().name(), "group", topic.group(), "edge_node", topic.edgeNode(),
                    "sparkplug_device", topic.device());
            return DeviceEvent.of(device, type, timestamp, attributes);
        }

        /** The bdSeq metric's value, or -1 when the payload has none. */
        private long bdSeq() {
            for (SparkplugBProto.Payload.Metric metric : payload.getMetricsList()) {
                if (metric.hasName() && metric.getName().equals("bdSeq")) {
                    if (metric.hasLongValue()) {
                        return metric.getLongValue();
                    }
                    if (metric.hasIntValue()) {
                        return Integer.toUnsignedLong(metric.getIntValue());
                    }
                }
            }
            return -1;
        }

        private void sequence(Session session, boolean birth) {
            if (!payload.hasSeq()) {
                problems.add(new DecodeProblem(who, "$.seq", topic.type() + " carries no seq; message order cannot be checked"));
                session.lastSeq = -1;
                return;
            }
            long seq = payload.getSeq();
            if (seq < 0 || seq > 255) {
                problems.add(new DecodeProblem(who, "$.seq", "seq " + Long.toUnsignedString(seq) + " is outside 0-255"));
                session.lastSeq = -1;
                return;
            }
            if (!birth && session.lastSeq >= 0 && seq != (session.lastSeq + 1) % 256) {
                seqGaps++;
            }
            session.lastSeq = (int) seq;
        }

        private void metrics(Session session, MetricTable table, boolean birth) {
            boolean overLimit = false;
            for (int i = 0; i < payload.getMetricsCount(); i++) {
                SparkplugBProto.Payload.Metric metric = payload.getMetrics(i);
                String path = "$.metrics[" + i + "]";
                Definition definition = null;
                String name;
                if (metric.hasName()) {
                    name = metric.getName();
                    definition = table == null ? null : table.byName.get(name);
                } else if (metric.hasAlias()) {
                    definition = table == null ? null : table.byAlias.get(metric.getAlias());
                    if (definition == null) {
                        metricsWithoutBirth++;
                        problems.add(new DecodeProblem(who, path + ".alias", "no BIRTH seen for alias "
                                + Long.toUnsignedString(metric.getAlias()) + ": metric dropped; a rebirth is needed"));
                        continue;
                    }
                    name = definition.name();
                } else {
                    problems.add(new DecodeProblem(who, path, "metric has neither a name nor an alias"));
                    continue;
                }
                String unit = unitOf(metric);
                if (unit == null && definition != null) {
                    unit = definition.unit();
                }
                int datatype = metric.hasDatatype() ? metric.getDatatype() : definition != null ? definition.datatype() : 0;
                if (birth) {
                    Definition learnt = new Definition(name, datatype, unit);
                    if (!sessions.learn(session, table, learnt, metric.hasAlias() ? metric.getAlias() : null) && !overLimit) {
                        overLimit = true;
                        problems.add(new DecodeProblem(who, path, "the edge node defined more than " + sessions.maxDefinitions()
                                + " metric names and aliases; this and later metrics are not learnt"));
                    }
                }
                if (isControl(name)) {
                    continue;
                }
                value(metric, path, name, datatype, unit);
            }
        }

        private void value(SparkplugBProto.Payload.Metric metric, String path, String name, int datatype, String unit) {
            MetricValue value = MetricValue.read(metric, datatype);
            switch (value.kind()) {
                case NULL, TEXT, UNSUPPORTED -> {
                    if (value.kind() != MetricValue.Kind.NULL) {
                        unmappedMetrics++;
                    }
                }
                case PROBLEM -> problems.add(new DecodeProblem(who, path, ProblemText.quote(name) + ": " + value.problem()));
                case BOOLEAN -> {
                    Optional<BinaryKind> meaning = NameAliases.binaryKindOf(name);
                    if (meaning.isPresent()) {
                        events.add(meaning.get().event(device, value.bool(), metricTime(metric, path)));
                    } else {
                        unmappedMetrics++;
                    }
                }
                case NUMBER -> number(metric, path, name, value.number(), unit);
            }
        }

        private void number(SparkplugBProto.Payload.Metric metric, String path, String name, double raw, String unit) {
            Optional<Quantity> quantity = settings.quantityOf(name).or(() -> UnitConversions.impliedBy(unit));
            if (quantity.isEmpty()) {
                unmappedMetrics++;
                return;
            }
            OptionalDouble canonical = UnitConversions.toCanonicalUnitOptional(quantity.get(), unit, raw);
            if (canonical.isEmpty()) {
                problems.add(new DecodeProblem(who, path, ProblemText.quote(name) + " in unit " + ProblemText.quote(unit)
                        + " cannot be converted to " + quantity.get().unit() + " for " + quantity.get().id()));
                return;
            }
            String implausible = PlausibleRanges.problem(quantity.get(), canonical.getAsDouble());
            if (implausible != null) {
                problems.add(new DecodeProblem(who, path, ProblemText.quote(name) + ": " + implausible));
                return;
            }
            readings.add(Reading.of(device, quantity.get(), canonical.getAsDouble(), metricTime(metric, path)));
        }

        private long metricTime(SparkplugBProto.Payload.Metric metric, String path) {
            return metric.hasTimestamp() ? believable(metric.getTimestamp(), path + ".timestamp") : messageTime;
        }

        /** A timestamp from the edge node, or the receive time (with a problem) when it cannot be right. */
        private long believable(long millis, String path) {
            if (millis <= 0 || millis > receivedAt + MAX_AHEAD_MILLIS) {
                problems.add(new DecodeProblem(who, path, "timestamp " + Long.toUnsignedString(millis)
                        + " ms is not a plausible time (before 1970 or more than an hour ahead of the gateway); receive time used"));
                return receivedAt;
            }
            return millis;
        }
    }

    /** The unit in the metric's properties, or null. */
    private static String unitOf(SparkplugBProto.Payload.Metric metric) {
        if (!metric.hasProperties()) {
            return null;
        }
        SparkplugBProto.Payload.PropertySet properties = metric.getProperties();
        int count = Math.min(properties.getKeysCount(), properties.getValuesCount());
        for (int i = 0; i < count; i++) {
            if (UNIT_PROPERTIES.contains(properties.getKeys(i).toLowerCase(Locale.ROOT))) {
                SparkplugBProto.Payload.PropertyValue value = properties.getValues(i);
                if (value.hasStringValue() && !value.getIsNull() && !value.getStringValue().isBlank()) {
                    return value.getStringValue().trim();
                }
            }
        }
        return null;
    }

    /** Sparkplug's own housekeeping metrics, never measurements. */
    private static boolean isControl(String name) {
        return name.equals("bdSeq") || name.startsWith("Node Control/") || name.startsWith("Device Control/")
                || name.startsWith("Properties/");
    }
}
