package org.smartschool.gateway.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** Verifies what the gateway keeps of the engine: undo of every kind of change, and the rows of {@code rule_state}. */
class RuleEngineStateTest {
    private static final long MINUTE = 60_000;
    private static final long MONDAY_7AM = ZonedDateTime.of(2026, 12, 7, 7, 0, 0, 0, LessonHours.VIETNAM)
            .toInstant().toEpochMilli();
    private static final Map<String, String> ROOMS = Map.of("r101", "classroom", "lab", "lab");
    private static final DeviceRef AIR = new DeviceRef("s1", "r101", "r101-air");
    private static final DeviceRef FRIDGE = new DeviceRef("s1", "lab", "lab-fridge");
    private final ObjectMapper json = new ObjectMapper();

    private RuleEngine engine() {
        return new RuleEngine(RuleBook.defaults(ROOMS), LessonHours.vietnameseDefault());
    }

    @Test
    void aSilenceTheClockFoundAndARuleChangeAreUndoneByARollback() throws Exception {
        RuleEngine engine = engine();
        engine.onReading(Reading.of(FRIDGE, Quantity.TEMPERATURE, 4.5, MONDAY_7AM));
        List<AlarmTransition> raised = engine.onReading(Reading.of(AIR, Quantity.CO2, 1300, MONDAY_7AM));
        assertEquals(1, raised.size());
        String before = json.writeValueAsString(engine.snapshot());

        engine.mark();
        assertEquals(1, engine.onClock(MONDAY_7AM + 16 * MINUTE).size());
        List<AlarmTransition> cleared = engine.replaceRules(new RuleBook(DefaultRules.all(), ROOMS,
                List.of(new RuleOverride(null, "r101", "co2", null))), MONDAY_7AM + 16 * MINUTE);
        assertEquals(List.of(Kind.CLEARED), cleared.stream().map(AlarmTransition::kind).toList());
        engine.rollback(); // not stored: as if neither happened

        assertEquals(before, json.writeValueAsString(engine.snapshot()));
        assertEquals(1, engine.openAlarmCount(), "only the CO2 alarm is open");
        engine.mark();
        List<AlarmTransition> again = engine.onClock(MONDAY_7AM + 17 * MINUTE);
        engine.commit();
        assertEquals(1, again.size());
        assertEquals(MONDAY_7AM + 15 * MINUTE, again.get(0).raisedAt(), "the same silence alarm, judged later");
        // the old rules are back: the CO2 series is still judged by the classroom rule
        assertEquals(List.of(Kind.CLEARED), engine.onReading(Reading.of(AIR, Quantity.CO2, 850, MONDAY_7AM + 18 * MINUTE))
                .stream().map(AlarmTransition::kind).toList());
    }

    @Test
    void theRowsWrittenAfterEachCommitRestoreTheSameEngine() throws Exception {
        RuleEngine engine = engine();
        Map<String, byte[]> table = new HashMap<>();
        long t = MONDAY_7AM;
        double[] curve = {800, 1700, 950, 850};
        DeviceRef smoke = new DeviceRef("s1", "lab", "lab-smoke");
        for (double level : curve) {
            for (int i = 0; i < 120; i++, t += 10_000) {
                engine.mark();
                engine.onReading(Reading.of(AIR, Quantity.CO2, level + i % 3, t));
                engine.onReading(Reading.of(FRIDGE, Quantity.TEMPERATURE, 4 + i % 2, t));
                engine.onEvent(DeviceEvent.of(smoke, EventType.ALERT, t, Map.of("kind", "smoke", "active",
                        Boolean.toString(level > 1000))));
                engine.changedStateSinceMark().forEach((key, value) -> {
                    if (value == null) {
                        table.remove(key);
                    } else {
                        table.put(key, value);
                    }
                });
                engine.commit();
            }
        }
        RuleEngine restarted = engine();
        assertEquals(List.of(), restarted.restoreEncoded(table));
        assertEquals(json.writeValueAsString(engine.snapshot()), json.writeValueAsString(restarted.snapshot()));
        assertEquals(engine.trackCount(), restarted.trackCount());
        int largest = table.values().stream().mapToInt(v -> v.length).max().orElseThrow();
        assertTrue(largest < 400, "a track with a 15-minute mean takes " + largest + " bytes");
    }

    @Test
    void rowsOfARuleThatWentOrThatDoNotDecodeAreReportedForDeletion() {
        RuleEngine engine = engine();
        engine.mark();
        engine.onReading(Reading.of(AIR, Quantity.CO2, 1300, MONDAY_7AM));
        Map<String, byte[]> table = new HashMap<>(engine.changedStateSinceMark());
        engine.commit();
        table.put("t:s1/r101/x/nonsense", new byte[] {9, 9});
        RuleEngine withoutCo2 = new RuleEngine(new RuleBook(DefaultRules.all().stream()
                .filter(r -> !r.id().equals("co2")).toList(), ROOMS, List.of()), LessonHours.vietnameseDefault());
        List<String> stale = new ArrayList<>(withoutCo2.restoreEncoded(table));
        stale.sort(null);
        assertEquals(List.of("t:s1/r101/r101-air/co2", "t:s1/r101/x/nonsense"), stale);
        assertEquals(1, withoutCo2.trackCount(), "co2-stuck goes on");
    }
}
