package org.smartschool.gateway.attendance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What attendance decided since the gateway started: counts only, never a learner or a card.
 * The names are the health report's counters (docs/protocol.md 3.1).
 */
public record AttendanceCounters(long taps, long present, long late, long unexcusedAbsences, long excusedAbsences,
                                 long unknownCards, long revokedCards, long wrongRoom, long duplicates, long noSession) {
    public static final AttendanceCounters NONE = new AttendanceCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Map<String, Long> asMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("attendance_taps", taps);
        out.put("attendance_present", present);
        out.put("attendance_late", late);
        out.put("attendance_unexcused_absences", unexcusedAbsences);
        out.put("attendance_excused_absences", excusedAbsences);
        out.put("attendance_unknown_cards", unknownCards);
        out.put("attendance_revoked_cards", revokedCards);
        out.put("attendance_wrong_room", wrongRoom);
        out.put("attendance_duplicates", duplicates);
        out.put("attendance_no_session", noSession);
        return out;
    }
}
