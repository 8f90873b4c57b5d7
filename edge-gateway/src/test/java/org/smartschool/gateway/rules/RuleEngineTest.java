package org.smartschool.gateway.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

import com.fasterxml.jackson.databind.ObjectMapper;

class RuleEngineTest {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    /** Monday 2026-12-07 07:00 in Ho Chi Minh City: the first lesson of the week. */
    private static final long MONDAY_7AM = ZonedDateTime.of(2026, 12, 7, 7, 0, 0, 0, LessonHours.VIETNAM)
            .toInstant().toEpochMilli();
    private static final Map<String, String> ROOMS = Map.of("r101", "classroom", "r102", "classroom", "lab", "lab");
    private static final DeviceRef AIR = new DeviceRef("s1", "r101", "r101-air");

    private final RuleEngine engine = new RuleEngine(RuleBook.defaults(ROOMS), LessonHours.vietnameseDefault());

    /**
     * Feeds a series every 10 s from {@code from} for {@code minutes} at {@code value}, or at
     * {@code value} and {@code value + 1} alternately when {@code wavering} (a live NDIR sensor is
     * never perfectly still); returns the time after.
     */
    private long feed(RuleEngine e, DeviceRef device, Quantity q, long from, int minutes, double value,
                      boolean wavering, List<AlarmTransition> out) {
        long t = from;
        for (int i = 0; t < from + minutes * MINUTE; t += 10 * SECOND, i++) {
            out.addAll(e.onReading(Reading.of(device, q, wavering ? value + i % 2 : value, t)));
        }
        return t;
    }

    private long feed(RuleEngine e, DeviceRef device, Quantity q, long from, int minutes, double value,
                      List<AlarmTransition> out) {
        return feed(e, device, q, from, minutes, value, true, out);
    }

    @Test
    void co2CurveRaisesOneAlarmChangesSeverityAndClearsWithHysteresis() {
        List<AlarmTransition> out = new ArrayList<>();
        long t = feed(engine, AIR, Quantity.CO2, MONDAY_7AM, 20, 800, out);
        assertEquals(List.of(), out, "fresh air raises nothing");
        long raisedAt = t;
        t = feed(engine, AIR, Quantity.CO2, t, 5, 1200, out);
        // hovering around the limit: hysteresis (100 ppm) keeps the one alarm, no clear and re-raise
        for (int i = 0; i < 30; i++, t += 10 * SECOND) {
            out.addAll(engine.onReading(Reading.of(AIR, Quantity.CO2, i % 2 == 0 ? 990 : 1010, t)));
        }
        long criticalFrom = t;
        t = feed(engine, AIR, Quantity.CO2, t, 25, 2100, out);
        t = feed(engine, AIR, Quantity.CO2, t, 30, 950, out);
        feed(engine, AIR, Quantity.CO2, t, 5, 850, out);

        String id = AlarmId.of("s1", "r101/r101-air", "co2", raisedAt);
        assertEquals(List.of(Kind.RAISED, Kind.SEVERITY_CHANGED, Kind.SEVERITY_CHANGED, Kind.SEVERITY_CHANGED,
                Kind.SEVERITY_CHANGED, Kind.CLEARED), out.stream().map(AlarmTransition::kind).toList(), out.toString());
        assertEquals(List.of(Severity.WARNING, Severity.MAJOR, Severity.CRITICAL, Severity.MAJOR, Severity.WARNING,
                Severity.WARNING), out.stream().map(AlarmTransition::severity).toList());
        assertTrue(out.stream().allMatch(a -> a.alarmId().equals(id) && a.raisedAt() == raisedAt), out.toString());
        assertEquals("1200 ppm above 1000", out.get(0).detail());
        assertTrue(out.get(1).detail().startsWith("15 min mean "), out.get(1).detail());
        assertTrue(out.get(1).value() > 1500, "the major level judges the 15-minute mean: " + out.get(1).value());
        assertEquals(criticalFrom + 20 * MINUTE, out.get(2).at(), "critical after 20 minutes above 2000 ppm");
        assertEquals(850.0, out.get(5).value(), 1.0);
    }

    @Test
    void aMinimumDurationWaitsBeforeRaising() {
        List<AlarmTransition> out = new ArrayList<>();
        DeviceRef thermo = new DeviceRef("s1", "r101", "r101-air");
        long t = feed(engine, thermo, Quantity.TEMPERATURE, MONDAY_7AM, 9, 33.5, out);
        assertEquals(List.of(), out, "9 minutes too warm is not yet 10");
        feed(engine, thermo, Quantity.TEMPERATURE, t, 2, 33.5, out);
        assertEquals(1, out.size(), out.toString());
        assertEquals(MONDAY_7AM + 10 * MINUTE, out.get(0).at());
        assertEquals(AlarmId.of("s1", "r101/r101-air", "temperature", MONDAY_7AM + 10 * MINUTE), out.get(0).alarmId());
    }

    @Test
    void lightIsJudgedOnlyDuringLessons() {
        List<AlarmTransition> out = new ArrayList<>();
        DeviceRef node = new DeviceRef("s1", "r101", "r101-node");
        long lessonEnd = MONDAY_7AM + 265 * MINUTE; // 11:25
        feed(engine, node, Quantity.ILLUMINANCE, lessonEnd - 20 * MINUTE, 30, 120, out);
        assertEquals(List.of(Kind.RAISED, Kind.CLEARED), out.stream().map(AlarmTransition::kind).toList());
        long evening = MONDAY_7AM + 13 * 60 * MINUTE; // 20:00
        feed(engine, node, Quantity.ILLUMINANCE, evening, 30, 5, out);
        assertEquals(2, out.size(), "a dark classroom at night is no alarm: " + out);
        assertEquals(lessonEnd - 15 * MINUTE, out.get(0).at(), "after 5 minutes below 300 lx");
        assertEquals(lessonEnd, out.get(1).at());
        assertEquals("outside lesson hours", out.get(1).detail());
    }

    @Test
    void noiseIsAnEnergyMeanOverAnHour() {
        List<AlarmTransition> out = new ArrayList<>();
        DeviceRef node = new DeviceRef("s1", "r101", "r101-node");
        long t = MONDAY_7AM;
        for (int i = 0; i < 360; i++, t += 10 * SECOND) { // one hour, alternately 40 and 70 dBA
            out.addAll(engine.onReading(Reading.of(node, Quantity.NOISE, i % 2 == 0 ? 40 : 70, t)));
        }
        // the arithmetic mean would be 55, not above the limit; the loud half dominates the sound energy
        assertEquals(1, out.size(), out.toString());
        double laeq = 10 * Math.log10((Math.pow(10, 4) + Math.pow(10, 7)) / 2);
        assertEquals(laeq, out.get(0).value(), 0.2);
        assertTrue(out.get(0).at() >= MONDAY_7AM + 40 * MINUTE, "not before about three quarters of the hour are covered: "
                + (out.get(0).at() - MONDAY_7AM) / MINUTE + " min");
    }

    @Test
    void aStuckSensorIsAlarmedAndClearsWhenItMovesAgain() {
        List<AlarmTransition> out = new ArrayList<>();
        long t = feed(engine, AIR, Quantity.CO2, MONDAY_7AM, 16, 612, false, out);
        assertEquals(List.of(Kind.RAISED), out.stream().map(AlarmTransition::kind).toList());
        assertEquals("co2-stuck", out.get(0).rule());
        assertEquals(MONDAY_7AM + 89 * 10 * SECOND, out.get(0).at(), "at the 90th equal reading");
        out.addAll(engine.onReading(Reading.of(AIR, Quantity.CO2, 615, t)));
        assertEquals(Kind.CLEARED, out.get(1).kind());
    }

    @Test
    void aSilentFridgeIsAlarmedAtTheSameInstantWhenEverTheClockLooks() {
        List<AlarmTransition> out = new ArrayList<>();
        DeviceRef fridge = new DeviceRef("s1", "lab", "lab-fridge");
        out.addAll(engine.onReading(Reading.of(fridge, Quantity.TEMPERATURE, 4.5, MONDAY_7AM)));
        out.addAll(engine.onClock(MONDAY_7AM + 15 * MINUTE - 1));
        assertEquals(List.of(), out, "silent for just under 15 minutes");
        out.addAll(engine.onClock(MONDAY_7AM + 17 * MINUTE));
        out.addAll(engine.onClock(MONDAY_7AM + 18 * MINUTE));
        assertEquals(1, out.size(), out.toString());
        assertEquals(MONDAY_7AM + 15 * MINUTE, out.get(0).raisedAt(), "when the silence began, not when it was seen");
        assertEquals("no reading for 15 min", out.get(0).detail());
        assertEquals(Severity.MAJOR, out.get(0).severity());
        out.addAll(engine.onReading(Reading.of(fridge, Quantity.TEMPERATURE, 4.6, MONDAY_7AM + 19 * MINUTE)));
        assertEquals(Kind.CLEARED, out.get(1).kind());
        assertEquals(out.get(0).alarmId(), out.get(1).alarmId());
    }

    @Test
    void aWarmFridgeIsTheFridgeRuleNotTheClassroomComfortRule() {
        List<AlarmTransition> out = new ArrayList<>();
        DeviceRef fridge = new DeviceRef("s1", "lab", "lab-fridge");
        feed(engine, fridge, Quantity.TEMPERATURE, MONDAY_7AM, 6, 4.0, out);
        assertEquals(List.of(), out, "4 C is right for a fridge, though far below a classroom's 18 C");
        feed(engine, fridge, Quantity.TEMPERATURE, MONDAY_7AM + 6 * MINUTE, 6, 9.5, out);
        assertEquals(List.of("lab-fridge"), out.stream().map(AlarmTransition::rule).toList());
        assertEquals(MONDAY_7AM + 11 * MINUTE, out.get(0).at());
    }

    @Test
    void aRiseFasterRuleJudgesConsecutiveReadings() {
        Rule fire = new Rule("heat-rise", Quantity.TEMPERATURE, Set.of(), "*", null, false,
                List.of(RuleLevel.at(Severity.CRITICAL, new Condition.RisesFaster(2.0))));
        RuleEngine e = new RuleEngine(new RuleBook(List.of(fire), ROOMS, List.of()), LessonHours.vietnameseDefault());
        List<AlarmTransition> out = new ArrayList<>();
        out.addAll(e.onReading(Reading.of(AIR, Quantity.TEMPERATURE, 25, MONDAY_7AM)));
        out.addAll(e.onReading(Reading.of(AIR, Quantity.TEMPERATURE, 25.3, MONDAY_7AM + 10 * SECOND)));
        assertEquals(List.of(), out, "1.8 C/min is not faster than 2");
        out.addAll(e.onReading(Reading.of(AIR, Quantity.TEMPERATURE, 25.8, MONDAY_7AM + 20 * SECOND)));
        assertEquals(1, out.size());
        assertEquals(3.0, out.get(0).value(), 1e-9);
    }

    @Test
    void detectorsRaiseOnceAndClearOnceHoweverOftenTheyRepeatTheirState() {
        DeviceRef smoke = new DeviceRef("s1", "lab", "lab-smoke");
        List<AlarmTransition> out = new ArrayList<>();
        List<Boolean> repeats = new ArrayList<>();
        boolean[] states = {false, false, true, true, true, false, false};
        for (int i = 0; i < states.length; i++) {
            DeviceEvent e = DeviceEvent.of(smoke, EventType.ALERT, MONDAY_7AM + i * MINUTE,
                    Map.of("kind", "smoke", "active", Boolean.toString(states[i])));
            repeats.add(engine.isRepeatedState(e));
            out.addAll(engine.onEvent(e));
        }
        assertEquals(List.of(false, true, false, true, true, false, true), repeats);
        assertEquals(List.of(Kind.RAISED, Kind.CLEARED), out.stream().map(AlarmTransition::kind).toList());
        assertEquals(Severity.CRITICAL, out.get(0).severity());
        assertEquals(AlarmId.of("s1", "lab/lab-smoke", "alert-smoke", MONDAY_7AM + 2 * MINUTE), out.get(0).alarmId());
        assertEquals(out.get(0).alarmId(), out.get(1).alarmId());
    }

    @Test
    void overridesSwitchARuleOffForARoomAndChangeItForARoomKind() {
        Rule strictCo2 = new Rule("co2", Quantity.CO2, Set.of(), "*", null, false,
                List.of(RuleLevel.at(Severity.MAJOR, new Condition.Above(800, 50))));
        RuleBook book = new RuleBook(DefaultRules.all(), ROOMS, List.of(
                new RuleOverride("classroom", null, "co2", strictCo2),
                new RuleOverride(null, "r102", "co2", null)));
        RuleEngine e = new RuleEngine(book, LessonHours.vietnameseDefault());
        List<AlarmTransition> out = new ArrayList<>();
        out.addAll(e.onReading(Reading.of(AIR, Quantity.CO2, 900, MONDAY_7AM)));
        out.addAll(e.onReading(Reading.of(new DeviceRef("s1", "r102", "r102-air"), Quantity.CO2, 3000, MONDAY_7AM)));
        assertEquals(1, out.size(), out.toString());
        assertEquals("r101", out.get(0).room());
        assertEquals(Severity.MAJOR, out.get(0).severity());
    }

    @Test
    void newRulesApplyWithoutLosingStateAndClearAlarmsOfRulesThatWent() {
        List<AlarmTransition> out = new ArrayList<>();
        long t = feed(engine, AIR, Quantity.CO2, MONDAY_7AM, 2, 1200, out);
        assertEquals(1, out.size());
        List<AlarmTransition> changed = engine.replaceRules(new RuleBook(DefaultRules.all(), ROOMS,
                List.of(new RuleOverride(null, "r101", "co2", null))), t);
        assertEquals(List.of(Kind.CLEARED), changed.stream().map(AlarmTransition::kind).toList());
        assertEquals(out.get(0).alarmId(), changed.get(0).alarmId());
        assertEquals(List.of(), engine.onReading(Reading.of(AIR, Quantity.CO2, 1300, t + 10 * SECOND)));
    }

    @Test
    void aRestartFromSavedStateGoesOnAsIfNothingHappenedAndReplaysChangeNothing() throws Exception {
        List<Reading> readings = new ArrayList<>();
        double[] curve = {800, 1200, 1700, 2100, 950, 850};
        long t = MONDAY_7AM;
        for (double level : curve) {
            for (int i = 0; i < 6 * 25; i++, t += 10 * SECOND) {
                readings.add(Reading.of(AIR, Quantity.CO2, level + (i % 3), t));
            }
        }
        RuleEngine uninterrupted = new RuleEngine(RuleBook.defaults(ROOMS), LessonHours.vietnameseDefault());
        List<AlarmTransition> expected = new ArrayList<>();
        readings.forEach(r -> expected.addAll(uninterrupted.onReading(r)));
        assertTrue(expected.size() >= 5, expected.toString());

        int cut = 430; // in the middle of the major phase, with a half-full 15-minute window
        List<AlarmTransition> actual = new ArrayList<>();
        readings.subList(0, cut).forEach(r -> actual.addAll(engine.onReading(r)));
        ObjectMapper json = new ObjectMapper();
        String saved = json.writeValueAsString(engine.snapshot());
        RuleEngine restarted = new RuleEngine(RuleBook.defaults(ROOMS), LessonHours.vietnameseDefault());
        restarted.restore(json.readValue(saved, RuleState.class));
        // the broker redelivers the last 50 messages the crashed gateway had not acknowledged
        readings.subList(cut - 50, readings.size()).forEach(r -> actual.addAll(restarted.onReading(r)));
        assertEquals(expected, actual);
    }

    @Test
    void theStateOfASeriesDoesNotGrowWithItsHistory() throws Exception {
        ObjectMapper json = new ObjectMapper();
        long t = MONDAY_7AM;
        for (int i = 0; i < 1_000; i++, t += 10 * SECOND) {
            engine.onReading(Reading.of(AIR, Quantity.CO2, 700 + i % 50, t));
        }
        int small = json.writeValueAsString(engine.snapshot()).length();
        for (int i = 0; i < 100_000; i++, t += 10 * SECOND) {
            engine.onReading(Reading.of(AIR, Quantity.CO2, 700 + i % 50, t));
        }
        int large = json.writeValueAsString(engine.snapshot()).length();
        assertEquals(2, engine.trackCount(), "co2 and co2-stuck for the one series");
        assertTrue(Math.abs(large - small) < 64, "state " + small + " -> " + large + " characters after 100x the readings");
    }

    @Test
    void aRollbackForgetsWhatTheOutboxDidNotTakeSoTheRedeliveryRaisesTheSameAlarm() throws Exception {
        List<AlarmTransition> out = new ArrayList<>();
        long t = feed(engine, AIR, Quantity.CO2, MONDAY_7AM, 5, 800, out);
        DeviceRef smoke = new DeviceRef("s1", "lab", "lab-smoke");
        ObjectMapper json = new ObjectMapper();
        String before = json.writeValueAsString(engine.snapshot());

        engine.mark();
        List<AlarmTransition> lost = new ArrayList<>(engine.onReading(Reading.of(AIR, Quantity.CO2, 1300, t)));
        lost.addAll(engine.onReading(Reading.of(new DeviceRef("s1", "r102", "r102-air"), Quantity.CO2, 1300, t)));
        DeviceEvent alarmOn = DeviceEvent.of(smoke, EventType.ALERT, t, Map.of("kind", "smoke", "active", "true"));
        engine.isRepeatedState(alarmOn);
        lost.addAll(engine.onEvent(alarmOn));
        assertEquals(3, lost.size());
        engine.rollback(); // the outbox was full: nothing of that group was stored or acknowledged

        assertEquals(before, json.writeValueAsString(engine.snapshot()), "as if those records never came");
        engine.mark();
        List<AlarmTransition> again = new ArrayList<>(engine.onReading(Reading.of(AIR, Quantity.CO2, 1300, t)));
        again.addAll(engine.onReading(Reading.of(new DeviceRef("s1", "r102", "r102-air"), Quantity.CO2, 1300, t)));
        assertEquals(false, engine.isRepeatedState(alarmOn));
        again.addAll(engine.onEvent(alarmOn));
        engine.commit();
        assertEquals(lost, again, "the redelivery raises the very same alarms");
    }
}
