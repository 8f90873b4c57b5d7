package org.smartschool.gateway.rules;

import static org.smartschool.bridge.alarm.Severity.CRITICAL;
import static org.smartschool.bridge.alarm.Severity.MAJOR;
import static org.smartschool.bridge.alarm.Severity.MINOR;
import static org.smartschool.bridge.alarm.Severity.WARNING;

import java.util.List;
import java.util.Set;

import org.smartschool.bridge.model.Quantity;

/**
 * The default school rules of DESIGN.md ("Default school rules"), with the hysteresis and
 * minimum durations that keep them from flapping on a noisy sensor. A school overrides them by id,
 * per room kind or per room ({@link RuleOverride}).
 */
public final class DefaultRules {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    /** Rooms where people spend lessons or work: comfort and air quality apply. */
    static final Set<String> OCCUPIED = Set.of("classroom", "lab", "computer-room", "library", "hall", "office");
    private static final Set<String> TAUGHT_IN = Set.of("classroom", "lab", "computer-room", "library");
    /** Lab equipment measured with the room's quantities, judged by rules of its own. */
    private static final String EQUIPMENT = "*fridge*";

    private DefaultRules() {
    }

    public static List<Rule> all() {
        return List.of(
                // HCDC school checks (0.1 % = 1000 ppm) and UK BB101
                new Rule("co2", Quantity.CO2, OCCUPIED, "*", null, false, List.of(
                        RuleLevel.at(WARNING, new Condition.Above(1000, 100)),
                        RuleLevel.at(MAJOR, new Condition.MeanAbove(15 * MINUTE, 1500, 100, false)),
                        new RuleLevel(CRITICAL, new Condition.Above(2000, 100), 20 * MINUTE))),
                // an NDIR CO2 sensor always wavers a little; the same value for 15 minutes at 10 s is a stuck one
                new Rule("co2-stuck", Quantity.CO2, Set.of(), "*", null, false, List.of(
                        RuleLevel.at(MINOR, new Condition.Unchanged(90)))),
                // QCVN 26:2016/BYT
                new Rule("temperature", Quantity.TEMPERATURE, OCCUPIED, "*", EQUIPMENT, false, List.of(
                        new RuleLevel(WARNING, new Condition.Outside(18, 32, 0.5), 10 * MINUTE))),
                new Rule("humidity", Quantity.HUMIDITY, OCCUPIED, "*", EQUIPMENT, false, List.of(
                        new RuleLevel(WARNING, new Condition.Outside(40, 80, 2), 10 * MINUTE))),
                // EN 12464-1, HCDC: only while lessons are held
                new Rule("illuminance", Quantity.ILLUMINANCE, TAUGHT_IN, "*", null, true, List.of(
                        new RuleLevel(WARNING, new Condition.Below(300, 20), 5 * MINUTE))),
                // HCDC: 1-hour LAeq, an energy mean of the sound levels
                new Rule("noise", Quantity.NOISE, TAUGHT_IN, "*", null, false, List.of(
                        RuleLevel.at(WARNING, new Condition.MeanAbove(HOUR, 55, 1, true)))),
                // WHO 2021 24-hour guideline
                new Rule("pm25", Quantity.PM25, Set.of(), "*", null, false, List.of(
                        RuleLevel.at(WARNING, new Condition.MeanAbove(24 * HOUR, 15, 1, false)))),
                // CDC vaccine and reagent storage practice: 2-8 C; a silent fridge is as bad as a warm one
                new Rule("lab-fridge", Quantity.TEMPERATURE, Set.of(), EQUIPMENT, null, false, List.of(
                        new RuleLevel(MAJOR, new Condition.Outside(2, 8, 0.5), 5 * MINUTE),
                        RuleLevel.at(MAJOR, new Condition.Silent(15 * MINUTE)))),
                // ANSI Z9.5 face velocity, while the lab is in use
                new Rule("fume-hood", Quantity.AIR_VELOCITY, Set.of(), "*hood*", null, true, List.of(
                        new RuleLevel(MAJOR, new Condition.Outside(0.4, 0.6, 0.02), MINUTE))),
                // flammable gas detectors: 10 % and 20 % of the lower explosive limit
                new Rule("gas", Quantity.GAS, Set.of(), "*", null, false, List.of(
                        RuleLevel.at(WARNING, new Condition.Above(10, 1)),
                        RuleLevel.at(CRITICAL, new Condition.Above(20, 1)))));
    }
}
