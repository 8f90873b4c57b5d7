package org.smartschool.hub.alarm;

import org.smartschool.bridge.alarm.Severity;

/**
 * One line of an alarm's history.
 *
 * @param key unique per alarm and step: a replayed transition has the same key and is kept once
 * @param what {@code raised}, {@code severity_changed}, {@code cleared}, {@code acknowledged}, {@code escalated}
 * @param by who acknowledged, empty otherwise
 */
public record AlarmHistoryEntry(String key, String alarmId, long at, String what, Severity severity, String by,
                                String note, String detail) {
}
