package org.smartschool.hub.forward.edfi;

import java.util.LinkedHashMap;
import java.util.Map;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.EdfiConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns an attendance event into the Ed-Fi resource that says the same (Data Standard 5, ODS/API v7):
 * a session-level event is a StudentSchoolAttendanceEvent of the school, a period-level event a
 * StudentSectionAttendanceEvent of the section configured for its class. Our ids become Ed-Fi's by
 * the {@code edfi:} configuration: schoolId, school year, the session (term) holding the day, section ids.
 */
public final class EdfiMapping {
    public static final String SCHOOL_EVENTS = "studentSchoolAttendanceEvents";
    public static final String SECTION_EVENTS = "studentSectionAttendanceEvents";
    public static final String DESCRIPTOR_NAMESPACE = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EdfiConfig config;

    public EdfiMapping(EdfiConfig config) {
        this.config = config;
    }

    /** Whether events of this school go to Ed-Fi at all. */
    public boolean covers(String school) {
        return config.enabled() && config.schools().containsKey(school);
    }

    /** Ed-Fi's AttendanceEventCategoryDescriptor of a category, as the URI the API takes. */
    public static String descriptor(AttendanceCategory category) {
        return DESCRIPTOR_NAMESPACE + switch (category) {
            case PRESENT -> "In Attendance";
            case LATE -> "Tardy";
            case EXCUSED_ABSENCE -> "Excused Absence";
            case UNEXCUSED_ABSENCE -> "Unexcused Absence";
        };
    }

    /**
     * The resource for an event.
     *
     * @throws UnmappableException when the configuration has no Ed-Fi id for it (a dead letter: no retry helps)
     */
    public EdfiRequest map(AttendanceEvent event) {
        EdfiConfig.School school = config.schools().get(event.school());
        if (school == null) {
            throw new UnmappableException("school '" + event.school() + "' has no edfi.schools entry");
        }
        int schoolYear = config.schoolYearOf(school);
        String sessionName = config.termsOf(school).stream().filter(t -> t.covers(event.date())).findFirst()
                .map(EdfiConfig.Term::name)
                .orElseThrow(() -> new UnmappableException("no Ed-Fi term of school '" + event.school() + "' covers "
                        + event.date()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("studentReference", Map.of("studentUniqueId", event.learnerId()));
        String resource;
        if (event.periodLevel()) {
            EdfiConfig.Section section = school.sections().get(event.classId());
            if (section == null) {
                throw new UnmappableException("class '" + event.classId() + "' of school '" + event.school()
                        + "' takes period attendance but has no edfi.schools." + event.school() + ".sections entry");
            }
            Map<String, Object> sectionReference = new LinkedHashMap<>();
            sectionReference.put("localCourseCode", section.localCourseCode().strip());
            sectionReference.put("schoolId", school.schoolId());
            sectionReference.put("schoolYear", schoolYear);
            sectionReference.put("sectionIdentifier", section.sectionIdentifier().strip());
            sectionReference.put("sessionName", sessionName);
            body.put("sectionReference", sectionReference);
            resource = SECTION_EVENTS;
        } else {
            body.put("schoolReference", Map.of("schoolId", school.schoolId()));
            Map<String, Object> sessionReference = new LinkedHashMap<>();
            sessionReference.put("schoolId", school.schoolId());
            sessionReference.put("schoolYear", schoolYear);
            sessionReference.put("sessionName", sessionName);
            body.put("sessionReference", sessionReference);
            resource = SCHOOL_EVENTS;
        }
        body.put("eventDate", event.date().toString());
        String descriptor = descriptor(event.category());
        body.put("attendanceEventCategoryDescriptor", descriptor);
        try {
            return new EdfiRequest(resource, JSON.writeValueAsString(body), descriptor);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always renders", e);
        }
    }

    /** The configuration cannot name this event in Ed-Fi. */
    public static final class UnmappableException extends IllegalArgumentException {
        public UnmappableException(String message) {
            super(message);
        }
    }
}
