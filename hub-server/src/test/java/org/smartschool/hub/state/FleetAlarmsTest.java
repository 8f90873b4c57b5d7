package org.smartschool.hub.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStatus;
import org.smartschool.hub.alarm.FleetAlarms;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventType;

/** The hub's fleet rules applied to a real alarm store (SQLite). */
class FleetAlarmsTest {
    private static final long T0 = 1_796_600_000_000L;

    @TempDir
    Path dir;
    private StateDatabase db;
    private JdbcAlarmStore store;

    @BeforeEach
    void open() {
        db = StateDatabase.open(StateConfig.sqlite(dir.resolve("hub-state.db")));
        store = new JdbcAlarmStore(db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void apply(FleetEvent e) {
        FleetAlarms.transition(e, store::open).ifPresent(store::apply);
    }

    @Test
    void aSilentGatewayAndASilentSensorRaiseAlarmsThatTheirReturnClears() {
        apply(new FleetEvent(T0, "gw-1", "s1", FleetEventType.GATEWAY_SILENT, "no batch for 300 s"));
        apply(new FleetEvent(T0 + 1, "gw-1", "s1", FleetEventType.SENSOR_SILENT, null, "lab", "lab-fridge", "no reading for 3 intervals"));
        List<AlarmRecord> active = store.alarms(new AlarmQuery("s1", AlarmStatus.ACTIVE, null, null, null, 10));
        assertEquals(List.of("sensor-silent", "gateway-silent"), active.stream().map(AlarmRecord::rule).toList());
        assertEquals(Severity.MAJOR, active.get(1).severity());
        assertEquals("gw-1", active.get(1).device());

        apply(new FleetEvent(T0 + 60_000, "gw-1", "s1", FleetEventType.GATEWAY_BACK, ""));
        apply(new FleetEvent(T0 + 60_001, "gw-1", "s1", FleetEventType.SENSOR_BACK, null, "lab", "lab-fridge", ""));
        assertEquals(List.of(), store.alarms(new AlarmQuery("s1", AlarmStatus.ACTIVE, null, null, null, 10)));
        assertEquals(T0 + 60_000, store.alarm(active.get(1).id()).orElseThrow().clearedAt());

        apply(new FleetEvent(T0 + 90_000, "gw-1", "s1", FleetEventType.GATEWAY_BACK, ""));
        assertEquals(2, store.alarms(new AlarmQuery("s1", null, null, null, null, 10)).size(), "a back without a silence clears nothing");
        apply(new FleetEvent(T0 + 120_000, "gw-1", "s1", FleetEventType.GATEWAY_SILENT, "again"));
        assertEquals(3, store.alarms(new AlarmQuery("s1", null, null, null, null, 10)).size(), "silent again: a new alarm");
    }

    @Test
    void eventsThatAreNoAlarmMakeNone() {
        assertEquals(Optional.empty(), FleetAlarms.transition(new FleetEvent(T0, "gw-1", "s1", FleetEventType.GATEWAY_ONLINE, ""), store::open));
        assertTrue(FleetAlarms.transition(new FleetEvent(T0, "gw-1", "s1", FleetEventType.TAKEOVER_LOOP, "47 take-overs"), store::open)
                .orElseThrow().detail().contains("two devices connect as gateway gw-1"));
    }
}
