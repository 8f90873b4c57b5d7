package org.smartschool.hub.forward;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The webhook body of an attendance event (docs/webhooks.md, type {@code attendance.recorded}):
 * Standard Webhooks' envelope {@code {"type", "timestamp", "data"}} with the event's id as the webhook
 * id. The Ed-Fi queue keeps the same JSON and reads the event back with {@link #parse}.
 */
public final class AttendanceEvents {
    public static final String TYPE = "attendance.recorded";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttendanceEvents() {
    }

    public static String body(AttendanceEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", e.eventId());
        data.put("school", e.school());
        data.put("learnerId", e.learnerId());
        data.put("classId", e.classId());
        data.put("date", e.date().toString());
        data.put("session", e.session());
        data.put("period", e.period());
        data.put("category", e.category().id());
        data.put("at", Instant.ofEpochMilli(e.at()).toString());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", TYPE);
        envelope.put("timestamp", Instant.ofEpochMilli(e.at()).toString());
        envelope.put("data", data);
        try {
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an attendance event of plain strings always renders", ex);
        }
    }

    /** Reads an event back from {@link #body}; the message names the field, never the learner's id. */
    public static AttendanceEvent parse(String body) {
        JsonNode data;
        try {
            data = JSON.readTree(body.getBytes(StandardCharsets.UTF_8)).path("data");
        } catch (IOException e) {
            throw new IllegalArgumentException("attendance event: not JSON");
        }
        try {
            return new AttendanceEvent(text(data, "eventId"), text(data, "school"), text(data, "learnerId"),
                    text(data, "classId"), LocalDate.parse(text(data, "date")), text(data, "session"),
                    data.path("period").isTextual() ? data.path("period").asText() : null,
                    AttendanceCategory.byId(text(data, "category"))
                            .orElseThrow(() -> new IllegalArgumentException("category: unknown")),
                    Instant.parse(text(data, "at")).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("attendance event: date or at is not ISO-8601");
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("attendance event: " + field + " is missing");
        }
        return value.asText();
    }
}
