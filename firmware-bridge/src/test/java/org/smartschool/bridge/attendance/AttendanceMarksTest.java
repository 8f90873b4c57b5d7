package org.smartschool.bridge.attendance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.attendance.AttendanceMark.Cause;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

class AttendanceMarksTest {
    private static final long T0 = 1_796_600_000_000L;
    private static final String LEARNER = "079212345678";

    private static AttendanceMark mark(String id, String period, AttendanceCategory category, Cause cause) {
        return new AttendanceMark(id, "s1", "r101", "door-r101", LEARNER, "6a", LocalDate.of(2026, 12, 3), "morning",
                period, category, cause, T0);
    }

    @Test
    void decisionsCrossTheBatchFrameUnchanged() throws Exception {
        List<AttendanceMark> sent = List.of(mark("att_a1", null, AttendanceCategory.PRESENT, Cause.TAP),
                mark("att_b2", "p3", AttendanceCategory.UNEXCUSED_ABSENCE, Cause.CUTOFF),
                mark("att_c3", null, AttendanceCategory.LATE, Cause.CORRECTION));
        BatchCodec codec = new BatchCodec();
        Batch batch = new Batch("gw-1-1-2", "gw-1", "s1", List.of(), sent.stream().map(AttendanceMarks::asEvent).toList());
        Batch received = codec.decode(codec.encode(batch));
        assertEquals(EventType.ATTENDANCE, received.events().get(0).type());
        assertEquals(sent, received.events().stream().map(AttendanceMarks::fromEvent).toList());
    }

    @Test
    void aDamagedDecisionNamesTheAttributeButNeverTheLearner() {
        DeviceEvent good = AttendanceMarks.asEvent(mark("att_a1", null, AttendanceCategory.PRESENT, Cause.TAP));
        Map<String, String> badId = new HashMap<>(good.attributes());
        badId.put(AttendanceMarks.LEARNER_ID, "07921234567x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttendanceMarks.fromEvent(
                new DeviceEvent(good.id(), "s1", "r101", "door-r101", good.type(), T0, badId)));
        assertEquals("attendance att_a1: learner_id is not a 12-digit national personal ID", e.getMessage());
        assertFalse(e.getMessage().contains("0792123"));
        Map<String, String> noCategory = new HashMap<>(good.attributes());
        noCategory.remove(AttendanceMarks.CATEGORY);
        assertEquals("attendance event att_a1 without 'category'", assertThrows(IllegalArgumentException.class,
                () -> AttendanceMarks.fromEvent(new DeviceEvent(good.id(), "s1", "r101", "door-r101", good.type(), T0,
                        noCategory))).getMessage());
        Map<String, String> badCause = new HashMap<>(good.attributes());
        badCause.put(AttendanceMarks.CAUSE, "magic");
        assertEquals("attendance event att_a1: unknown cause 'magic'", assertThrows(IllegalArgumentException.class,
                () -> AttendanceMarks.fromEvent(new DeviceEvent(good.id(), "s1", "r101", "door-r101", good.type(), T0,
                        badCause))).getMessage());
    }

    @Test
    void anEventIdThatCouldNotBeAWebhookIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> mark("att.a1", null, AttendanceCategory.PRESENT, Cause.TAP));
    }
}
