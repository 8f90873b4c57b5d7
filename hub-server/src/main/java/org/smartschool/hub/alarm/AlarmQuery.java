package org.smartschool.hub.alarm;

import org.smartschool.bridge.alarm.Severity;

/**
 * Which alarms a caller wants: every field but {@code limit} may be null for "any".
 *
 * @param from raised at or after (UTC epoch ms)
 * @param to raised before
 */
public record AlarmQuery(String school, AlarmStatus status, Severity severity, Long from, Long to, int limit) {

    public AlarmQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
    }
}
