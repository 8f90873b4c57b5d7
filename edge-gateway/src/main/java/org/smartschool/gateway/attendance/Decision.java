package org.smartschool.gateway.attendance;

import java.nio.charset.StandardCharsets;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;

/**
 * One learner's decision for one slot, as the gateway keeps it (state row {@code att:d:...}) so that a
 * restart neither decides it again differently nor forgets it.
 */
record Decision(AttendanceCategory category, AttendanceMark.Cause cause, String eventId, long at, String room,
                String device) {

    byte[] encode() {
        return String.join("|", "1", category.id(), cause.id(), eventId, Long.toString(at), room, device)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the row is not one this version wrote */
    static Decision decode(byte[] value) {
        String[] f = new String(value, StandardCharsets.UTF_8).split("\\|", -1);
        if (f.length != 7 || !"1".equals(f[0])) {
            throw new IllegalArgumentException("not an attendance decision row");
        }
        return new Decision(AttendanceCategory.byId(f[1]).orElseThrow(() -> new IllegalArgumentException("category")),
                AttendanceMark.Cause.byId(f[2]).orElseThrow(() -> new IllegalArgumentException("cause")),
                f[3], Long.parseLong(f[4]), f[5], f[6]);
    }

    boolean isAbsence() {
        return category == AttendanceCategory.EXCUSED_ABSENCE || category == AttendanceCategory.UNEXCUSED_ABSENCE;
    }
}
