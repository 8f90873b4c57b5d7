package org.smartschool.hub.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmLifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AlarmEventsTest {
    private static final long T0 = 1_796_600_000_000L; // 2026-12-06T23:33:20Z

    @Test
    void aRaisedAlarmBecomesTheDocumentedEventUnderAStableId() throws Exception {
        String id = AlarmId.of("s1", "r101/r101-air", "co2", T0);
        AlarmLifecycle.Step raised = AlarmLifecycle.apply(null, new AlarmTransition(id, "s1", "r101", "r101-air", "co2",
                Kind.RAISED, Severity.WARNING, T0, T0, 1200, "1200 ppm above 1000"));
        JsonNode body = new ObjectMapper().readTree(AlarmEvents.body(raised.entry(), raised.alarm()));
        assertEquals("alarm.raised", body.get("type").asText());
        assertEquals("2026-12-06T23:33:20Z", body.get("timestamp").asText());
        JsonNode data = body.get("data");
        assertEquals(id, data.get("alarmId").asText());
        assertEquals("warning", data.get("severity").asText());
        assertEquals("active", data.get("status").asText());
        assertEquals("1200 ppm above 1000", data.get("detail").asText());
        assertFalse(data.has("by"));
        assertEquals(id + ":raised:" + T0, AlarmEvents.webhookId(raised.entry()));

        AlarmLifecycle.Step acked = AlarmLifecycle.acknowledge(raised.alarm(), new Acknowledgement("thu.nguyen", "mở cửa sổ", T0 + 60_000));
        JsonNode ackBody = new ObjectMapper().readTree(AlarmEvents.body(acked.entry(), acked.alarm()));
        assertEquals("alarm.acknowledged", ackBody.get("type").asText());
        assertEquals("acknowledged", ackBody.get("data").get("status").asText());
        assertEquals("mở cửa sổ", ackBody.get("data").get("note").asText());
        assertEquals("acknowledged:" + id, AlarmEvents.webhookId(acked.entry()));
    }
}
