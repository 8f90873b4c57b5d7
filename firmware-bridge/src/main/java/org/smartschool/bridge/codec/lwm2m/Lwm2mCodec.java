package org.smartschool.bridge.codec.lwm2m;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.SubDevices;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.NameAliases;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.codec.senml.SenmlFormat;
import org.smartschool.bridge.codec.senml.SenmlPack;
import org.smartschool.bridge.codec.senml.SenmlPackReader;
import org.smartschool.bridge.codec.senml.SenmlRecord;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * LwM2M data in SenML (LwM2M 1.1+ content formats 110 {@code application/senml+json} and 112
 * {@code application/senml+cbor}), as LwM2M clients send it in Read responses, Notify and Send: record
 * names are resource paths ({@code /3303/0/5700}, often split as base name {@code /3303/0/} and name
 * {@code 5700}). The pack is read by the SenML codec's {@link SenmlPackReader}; what each object's
 * resources become is {@link IpsoObjects}'.
 *
 * <p>Within one pack, the records of one object instance qualify each other: 5701 Sensor Units gives the
 * unit of 5700 (a unit on the 5700 record itself wins), 5750 Application Type says what a 3325
 * Concentration measures, 5518 Timestamp (+ 6050 fraction) is the time of the measurement, and a
 * 6042 Measurement Quality Indicator of 1 or 2 (rejected) drops the value with a problem.
 *
 * <p>Stateless and thread-safe: a unit sent once in a Read is not remembered for later Notifys; a
 * 3325 value whose pack says nothing about what it measures is a problem, never a guess.
 *
 * <p><b>Several instances of one quantity</b> ({@code /3303/0} and {@code /3303/1}, two thermometers of one
 * client): the lowest object instance of that quantity in the pack keeps the configured device, so a single
 * sensor's series never moves; every other one becomes the sub-device {@code <device>.<object>-<instance>}
 * ({@code r101-air.3303-1}, see {@link SubDevices}), so two readings of one time do not overwrite each other.
 */
public final class Lwm2mCodec implements Codec {
    private static final Set<Quantity> CONCENTRATIONS = Set.of(Quantity.CO2, Quantity.VOC, Quantity.GAS, Quantity.PM25, Quantity.PM10);
    /** How far after its arrival a 5518 Timestamp may be before the device clock is distrusted. */
    private static final long MAX_AHEAD_MILLIS = 60 * 60 * 1000L;

    private final SenmlPackReader reader;
    private final SenmlFormat whenNoContentType;

    public Lwm2mCodec(SenmlPackReader reader, SenmlFormat whenNoContentType) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.whenNoContentType = Objects.requireNonNull(whenNoContentType, "whenNoContentType");
    }

    public Lwm2mCodec() {
        this(new SenmlPackReader(), SenmlFormat.JSON);
    }

    @Override
    public String name() {
        return "lwm2m";
    }

    @Override
    public String description() {
        return "LwM2M/IPSO objects in SenML JSON or CBOR: 3301 illuminance, 3302 presence, 3303 temperature, "
                + "3304 humidity, 3324 loudness, 3325 concentration, 3428 air quality, 3 battery";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        SenmlPack pack = reader.read(message, who, whenNoContentType);
        if (pack.rejected()) {
            return DecodeResult.rejected(pack.problems().get(0));
        }
        List<DecodeProblem> problems = new ArrayList<>(pack.problems());
        List<Lwm2mPath> paths = new ArrayList<>(pack.records().size());
        Map<Long, Instance> instances = new HashMap<>();
        for (SenmlRecord record : pack.records()) {
            Lwm2mPath path = Lwm2mPath.parse(record.name());
            paths.add(path);
            if (path == null) {
                problems.add(new DecodeProblem(who, record.path("n"), "name " + ProblemText.quote(record.name())
                        + " is not a LwM2M resource path like /3303/0/5700"));
            } else {
                instances.computeIfAbsent(path.instanceKey(), k -> new Instance()).collect(path, record);
            }
        }
        Mapping mapping = new Mapping(device, message.receivedAt(), problems);
        Set<Integer> unknownObjects = new HashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            Lwm2mPath path = paths.get(i);
            if (path == null) {
                continue;
            }
            SenmlRecord record = pack.records().get(i);
            if (!IpsoObjects.isKnown(path.object())) {
                if (unknownObjects.add(path.object())) {
                    problems.add(new DecodeProblem(who, record.path("n"), "object " + path.object() + " (" + path
                            + ") is not mapped; mapped objects: " + IpsoObjects.knownObjects()));
                }
                continue;
            }
            mapping.map(path, record, instances.get(path.instanceKey()));
        }
        return DecodeResult.of(mapping.assignSensors(), mapping.events, problems);
    }

    /** The qualifying resources of one object instance in this pack. */
    private static final class Instance {
        String units;
        String applicationType;
        SenmlRecord timestamp;
        double fraction;
        int quality = -1;

        void collect(Lwm2mPath path, SenmlRecord record) {
            switch (path.resource()) {
                case IpsoObjects.SENSOR_UNITS -> units = record.kind() == SenmlRecord.Kind.STRING ? record.string() : units;
                case IpsoObjects.APPLICATION_TYPE -> applicationType = record.kind() == SenmlRecord.Kind.STRING
                        ? record.string() : applicationType;
                case IpsoObjects.TIMESTAMP -> timestamp = record.kind() == SenmlRecord.Kind.NUMBER ? record : timestamp;
                case IpsoObjects.FRACTIONAL_TIMESTAMP -> fraction = record.kind() == SenmlRecord.Kind.NUMBER
                        && record.number() >= 0 && record.number() < 1 ? record.number() : 0;
                case IpsoObjects.QUALITY_INDICATOR -> quality = record.kind() == SenmlRecord.Kind.NUMBER ? (int) record.number() : quality;
                default -> { }
            }
        }
    }

    /** The resource a reading came from and its field, for a problem. */
    private record Source(Lwm2mPath path, String field) {
    }

    /** The records of one pack becoming readings, events and problems. */
    private static final class Mapping {
        final DeviceRef device;
        final String who;
        final long receivedAt;
        final List<DecodeProblem> problems;
        final List<Reading> readings = new ArrayList<>();
        /** where each of {@link #readings} came from, index for index */
        final List<Source> sensorOf = new ArrayList<>();
        final List<DeviceEvent> events = new ArrayList<>(0);

        Mapping(DeviceRef device, long receivedAt, List<DecodeProblem> problems) {
            this.device = device;
            this.who = device.toString();
            this.receivedAt = receivedAt;
            this.problems = problems;
        }

        void map(Lwm2mPath path, SenmlRecord record, Instance instance) {
            IpsoObjects.Resource resource = IpsoObjects.resource(path.object(), path.resource());
            if (resource == null) {
                problems.add(new DecodeProblem(who, record.path("n"), "resource " + path + " is not mapped"));
                return;
            }
            switch (resource.role()) {
                case SKIPPED -> { }
                case PRESENCE -> presence(path, record, instance);
                case MEASURED -> measured(path, record, instance, resource.quantity(), resource.defaultUnit());
                case CONCENTRATION -> {
                    Quantity quantity = concentration(path, record, instance);
                    if (quantity != null) {
                        measured(path, record, instance, quantity, null);
                    }
                }
            }
        }

        private void presence(Lwm2mPath path, SenmlRecord record, Instance instance) {
            boolean occupied;
            if (record.kind() == SenmlRecord.Kind.BOOLEAN) {
                occupied = record.bool();
            } else if (record.kind() == SenmlRecord.Kind.NUMBER && (record.number() == 0 || record.number() == 1)) {
                occupied = record.number() == 1; // some clients send the digital input state as 0/1
            } else {
                problems.add(new DecodeProblem(who, record.valuePath(), path + " Digital Input State must be a boolean"));
                return;
            }
            events.add(BinaryKind.OCCUPANCY.event(device, occupied, time(path, record, instance)));
        }

        private Quantity concentration(Lwm2mPath path, SenmlRecord record, Instance instance) {
            String unit = unitOf(record, instance);
            if (instance.applicationType != null) {
                Optional<Quantity> named = NameAliases.quantityOf(instance.applicationType).filter(CONCENTRATIONS::contains);
                if (named.isEmpty()) {
                    problems.add(new DecodeProblem(who, record.valuePath(), path + " is a concentration of "
                            + ProblemText.quote(instance.applicationType) + " (5750), not one of " + sorted(CONCENTRATIONS)));
                    return null;
                }
                return named.get();
            }
            Optional<Quantity> byUnit = UnitConversions.impliedBy(unit).filter(CONCENTRATIONS::contains);
            if (byUnit.isEmpty()) {
                problems.add(new DecodeProblem(who, record.valuePath(), path + " is a concentration in "
                        + (unit == null ? "no units" : "units " + ProblemText.quote(unit))
                        + ": without 5701 units ppm (CO2), ppb (VOC) or %LEL, or a 5750 application type, what it measures is unknown"));
                return null;
            }
            return byUnit.get();
        }

        private void measured(Lwm2mPath path, SenmlRecord record, Instance instance, Quantity quantity, String defaultUnit) {
            if (record.kind() != SenmlRecord.Kind.NUMBER) {
                problems.add(new DecodeProblem(who, record.valuePath(), path + " must be a number for " + quantity.id()));
                return;
            }
            if (instance.quality == 1 || instance.quality == 2) {
                problems.add(new DecodeProblem(who, record.valuePath(), path + " dropped: the sensor's Measurement Quality Indicator (6042) is "
                        + instance.quality + ", rejected"));
                return;
            }
            String unit = unitOf(record, instance);
            if (unit == null) {
                unit = defaultUnit;
            }
            OptionalDouble canonical = UnitConversions.toCanonicalUnitOptional(quantity, unit, record.number());
            if (canonical.isEmpty()) {
                problems.add(new DecodeProblem(who, record.valuePath(), path + " in units " + ProblemText.quote(unit)
                        + " cannot be converted to " + quantity.unit() + " for " + quantity.id()));
                return;
            }
            String implausible = PlausibleRanges.problem(quantity, canonical.getAsDouble());
            if (implausible != null) {
                problems.add(new DecodeProblem(who, record.valuePath(), path + ": " + implausible));
                return;
            }
            readings.add(Reading.of(device, quantity, canonical.getAsDouble(), time(path, record, instance)));
            sensorOf.add(new Source(path, record.valuePath()));
        }

        /**
         * The lowest object instance of each quantity in the pack keeps the configured device; every other
         * instance becomes the sub-device {@code <device>.<object>-<instance>} (see the class comment).
         */
        List<Reading> assignSensors() {
            Map<Quantity, Long> primary = new EnumMap<>(Quantity.class);
            for (int i = 0; i < readings.size(); i++) {
                primary.merge(readings.get(i).quantity(), sensorOf.get(i).path().instanceKey(), Math::min);
            }
            List<Reading> assigned = new ArrayList<>(readings.size());
            for (int i = 0; i < readings.size(); i++) {
                Reading reading = readings.get(i);
                Lwm2mPath path = sensorOf.get(i).path();
                if (primary.get(reading.quantity()) == path.instanceKey()) {
                    assigned.add(reading);
                    continue;
                }
                // object and instance ids are at most 5 digits, so the id fits whenever the device's does with 12 to spare
                Optional<DeviceRef> child = SubDevices.child(device, path.object() + "-" + path.instance());
                if (child.isPresent()) {
                    assigned.add(Reading.of(child.get(), reading.quantity(), reading.value(), reading.timestamp()));
                } else {
                    problems.add(new DecodeProblem(who, sensorOf.get(i).field(), "second " + reading.quantity().id()
                            + " sensor " + path + " cannot be given its own device id (the id would be longer than 64 characters); value dropped"));
                }
            }
            return assigned;
        }

        /** The record's own unit (u or bu) wins over the instance's 5701 Sensor Units. */
        private static String unitOf(SenmlRecord record, Instance instance) {
            return record.unit() != null ? record.unit() : instance.units;
        }

        /** 5518 Timestamp (+ 6050) when the instance has one the gateway can believe, else the SenML time. */
        private long time(Lwm2mPath path, SenmlRecord record, Instance instance) {
            if (instance.timestamp == null) {
                return record.timestamp();
            }
            double seconds = instance.timestamp.number() + instance.fraction;
            long millis = Math.round(seconds * 1000);
            if (!(seconds > 0) || millis > receivedAt + MAX_AHEAD_MILLIS) {
                problems.add(new DecodeProblem(who, instance.timestamp.valuePath(), "5518 Timestamp " + instance.timestamp.number()
                        + " of " + path + " is not a plausible measurement time; SenML time used"));
                instance.timestamp = null; // reported once per instance
                return record.timestamp();
            }
            return millis;
        }

        private static List<String> sorted(Set<Quantity> quantities) {
            return quantities.stream().map(Quantity::id).sorted().toList();
        }
    }
}
