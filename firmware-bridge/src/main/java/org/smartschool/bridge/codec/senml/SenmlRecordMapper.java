package org.smartschool.bridge.codec.senml;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.NameAliases;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Turns resolved generic SenML records into readings and events.
 *
 * <p>The rule (see also {@link NameAliases}):
 * <ul>
 *   <li>a number's quantity comes from the last segment of its name ({@code urn:dev:ow:10e2:co2},
 *       {@code 2001:db8::2/temperature}); failing that from its unit when the unit names one quantity
 *       ({@code Cel}, {@code K} temperature; {@code %RH} humidity; {@code ppm} CO2; {@code lx}
 *       illuminance; {@code dB} noise; {@code hPa}, {@code Pa} pressure; {@code W} power; {@code Wh},
 *       {@code kWh}, {@code J} energy; {@code %EL} battery ...). The value is converted to the canonical
 *       unit ({@code K} to {@code Cel}, {@code Pa} to {@code hPa}, {@code kWh} and {@code J} to {@code Wh});
 *       a unit the quantity cannot be converted from is a problem, no unit means the canonical one;</li>
 *   <li>a sum ({@code s}) of a power unit ({@code W}, {@code kW}) is the energy used, in W·s, and becomes an
 *       energy reading in Wh; a sum of any other unit is not stored (a problem when the record has nothing else);</li>
 *   <li>a boolean ({@code vb}) becomes an event when its name says what it means: occupancy, occupied,
 *       presence, motion, pir (OCCUPANCY); door, open (DOOR_OPEN / DOOR_CLOSED); smoke, gas, water_leak,
 *       tamper (ALERT). Any other boolean is a problem;</li>
 *   <li>strings ({@code vs}) and data ({@code vd}) are problems: no canonical record carries them.</li>
 * </ul>
 */
final class SenmlRecordMapper {
    private SenmlRecordMapper() {
    }

    static void map(SenmlRecord record, DeviceRef device, List<Reading> readings, List<DeviceEvent> events,
                    List<DecodeProblem> problems) {
        String who = device.toString();
        switch (record.kind()) {
            case NUMBER -> mapNumber(record, device, readings, problems);
            case BOOLEAN -> {
                Optional<BinaryKind> meaning = NameAliases.binaryKindOf(record.name());
                if (meaning.isPresent()) {
                    events.add(meaning.get().event(device, record.bool(), record.timestamp()));
                } else {
                    problems.add(new DecodeProblem(who, record.path("vb"), "boolean " + ProblemText.quote(record.name())
                            + " has no meaning: name it occupancy, presence, motion, door, open, smoke, gas, water_leak or tamper"));
                }
            }
            case STRING -> problems.add(new DecodeProblem(who, record.path("vs"),
                    "string value of " + ProblemText.quote(record.name()) + " is not mapped: no canonical record carries text"));
            case DATA -> problems.add(new DecodeProblem(who, record.path("vd"),
                    "data value of " + ProblemText.quote(record.name()) + " is not mapped: no canonical record carries bytes"));
            case SUM_ONLY -> { }
        }
        if (record.hasSum()) {
            mapSum(record, device, readings, problems);
        }
    }

    private static void mapNumber(SenmlRecord record, DeviceRef device, List<Reading> readings, List<DecodeProblem> problems) {
        Optional<Quantity> quantity = NameAliases.quantityOf(record.name()).or(() -> UnitConversions.impliedBy(record.unit()));
        if (quantity.isEmpty()) {
            problems.add(new DecodeProblem(device.toString(), record.path("v"), "no canonical quantity for " + ProblemText.quote(record.name())
                    + unitText(record.unit()) + ": name it by quantity (co2, temperature, humidity ...) or use a unit that names one"));
            return;
        }
        OptionalDouble canonical = UnitConversions.toCanonicalUnitOptional(quantity.get(), record.unit(), record.number());
        if (canonical.isEmpty()) {
            problems.add(unitProblem(device, record, quantity.get()));
            return;
        }
        addReading(device, quantity.get(), canonical.getAsDouble(), record, "v", readings, problems);
    }

    /** Adds the reading, or a problem naming the field when the value cannot be real. */
    static void addReading(DeviceRef device, Quantity quantity, double value, SenmlRecord record, String field,
                           List<Reading> readings, List<DecodeProblem> problems) {
        String implausible = PlausibleRanges.problem(quantity, value);
        if (implausible != null) {
            problems.add(new DecodeProblem(device.toString(), record.path(field), ProblemText.quote(record.name()) + ": " + implausible));
        } else {
            readings.add(Reading.of(device, quantity, value, record.timestamp()));
        }
    }

    private static void mapSum(SenmlRecord record, DeviceRef device, List<Reading> readings, List<DecodeProblem> problems) {
        String unit = record.unit();
        if (unit != null && !unit.isEmpty() && UnitConversions.accepts(Quantity.POWER, unit)) {
            double wattSeconds = UnitConversions.toCanonical(Quantity.POWER, unit, record.sum()).orElseThrow();
            addReading(device, Quantity.ENERGY, wattSeconds / 3600, record, "s", readings, problems);
        } else if (record.kind() == SenmlRecord.Kind.SUM_ONLY) {
            problems.add(new DecodeProblem(device.toString(), record.path("s"), "sum of " + ProblemText.quote(record.name())
                    + unitText(unit) + " is not mapped: only sums of a power unit (W) are stored, as energy"));
        }
    }

    static DecodeProblem unitProblem(DeviceRef device, SenmlRecord record, Quantity quantity) {
        return new DecodeProblem(device.toString(), record.path("u"), "unit " + ProblemText.quote(record.unit())
                + " of " + ProblemText.quote(record.name()) + " cannot be converted to " + quantity.unit() + " for " + quantity.id()
                + "; accepted: " + String.join(", ", UnitConversions.acceptedUnits(quantity)));
    }

    private static String unitText(String unit) {
        return unit == null ? " (no unit)" : " (unit " + ProblemText.quote(unit) + ")";
    }
}
