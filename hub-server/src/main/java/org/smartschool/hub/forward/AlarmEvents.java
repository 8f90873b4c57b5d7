package org.smartschool.hub.forward;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smartschool.hub.alarm.AlarmHistoryEntry;
import org.smartschool.hub.alarm.AlarmRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The webhook body of one step of an alarm (docs/webhooks.md): Standard Webhooks' envelope
 * {@code {"type", "timestamp", "data"}}, with the history entry's key as the webhook id, so that
 * the same step always goes out under the same id, however often it is retried or replayed.
 */
public final class AlarmEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlarmEvents() {
    }

    /** {@code alarm.raised}, {@code alarm.severity_changed}, {@code alarm.acknowledged}, ... */
    public static String type(AlarmHistoryEntry entry) {
        return "alarm." + entry.what();
    }

    /** The webhook id of the step: stable, unique per alarm and step, free of '.' as the signature needs. */
    public static String webhookId(AlarmHistoryEntry entry) {
        return entry.key().replace('.', '_');
    }

    /** The body, as UTF-8 JSON; the alarm is as it stood after the step. */
    public static byte[] body(AlarmHistoryEntry entry, AlarmRecord alarm) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alarmId", alarm.id());
        data.put("school", alarm.school());
        data.put("room", alarm.room());
        data.put("device", alarm.device());
        data.put("rule", alarm.rule());
        data.put("severity", entry.severity() == null ? alarm.severity().id() : entry.severity().id());
        data.put("status", alarm.status().id());
        data.put("raisedAt", Instant.ofEpochMilli(alarm.raisedAt()).toString());
        data.put("at", Instant.ofEpochMilli(entry.at()).toString());
        data.put("detail", entry.detail());
        if (!entry.by().isEmpty()) {
            data.put("by", entry.by());
            data.put("note", entry.note());
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type(entry));
        envelope.put("timestamp", Instant.ofEpochMilli(entry.at()).toString());
        envelope.put("data", data);
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alarm event of plain strings always renders", e);
        }
    }
}
