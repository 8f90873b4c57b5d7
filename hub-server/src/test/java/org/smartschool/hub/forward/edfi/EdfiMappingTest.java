package org.smartschool.hub.forward.edfi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.EdfiConfig;

/** Our attendance events as Ed-Fi resources: descriptors, references, terms by date, sections by class. */
class EdfiMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EdfiConfig CONFIG = new EdfiConfig("https://edfi.example.org/api/data/v3",
            "https://edfi.example.org/api/oauth/token", "k", "s", 10, 24, 200, 8, 2027,
            List.of(new EdfiConfig.Term("HK1", "2026-09-05", "2027-01-17"), new EdfiConfig.Term("HK2", "2027-01-18", "2027-05-31")),
            Map.of("s1", new EdfiConfig.School(255901001L, 2028, List.of(), Map.of("lab", new EdfiConfig.Section("CHEM", "LAB-1"))),
                    "s2", new EdfiConfig.School(255901002L, null, List.of(new EdfiConfig.Term("Own", "2026-08-01", "2027-07-31")), null)));
    private final EdfiMapping mapping = new EdfiMapping(CONFIG);

    private static AttendanceEvent event(String school, String classId, LocalDate day, String period, AttendanceCategory category) {
        return new AttendanceEvent("e1", school, "079201001234", classId, day, "morning", period, category, 1L);
    }

    @Test
    void categoriesAreEdfisAttendanceEventCategoryDescriptors() {
        assertThat(EdfiMapping.descriptor(AttendanceCategory.PRESENT)).isEqualTo("uri://ed-fi.org/AttendanceEventCategoryDescriptor#In Attendance");
        assertThat(EdfiMapping.descriptor(AttendanceCategory.LATE)).isEqualTo("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy");
        assertThat(EdfiMapping.descriptor(AttendanceCategory.EXCUSED_ABSENCE))
                .isEqualTo("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence");
        assertThat(EdfiMapping.descriptor(AttendanceCategory.UNEXCUSED_ABSENCE))
                .isEqualTo("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence");
    }

    @Test
    void theTermIsChosenByTheDayBothEndsIncludedAndASchoolsOwnYearAndTermsWin() throws Exception {
        JsonNode lastOfFirst = JSON.readTree(mapping.map(event("s1", "6a", LocalDate.of(2027, 1, 17), null, AttendanceCategory.PRESENT)).body());
        JsonNode firstOfSecond = JSON.readTree(mapping.map(event("s1", "6a", LocalDate.of(2027, 1, 18), null, AttendanceCategory.PRESENT)).body());
        JsonNode own = JSON.readTree(mapping.map(event("s2", "6a", LocalDate.of(2027, 6, 30), null, AttendanceCategory.PRESENT)).body());

        assertThat(lastOfFirst.path("sessionReference").path("sessionName").asText()).isEqualTo("HK1");
        assertThat(firstOfSecond.path("sessionReference").path("sessionName").asText()).isEqualTo("HK2");
        assertThat(lastOfFirst.path("sessionReference").path("schoolYear").asInt()).as("the school's own year").isEqualTo(2028);
        assertThat(own.path("sessionReference").path("sessionName").asText()).isEqualTo("Own");
        assertThat(own.path("sessionReference").path("schoolYear").asInt()).as("the district's year").isEqualTo(2027);
        assertThat(own.path("schoolReference").path("schoolId").asLong()).isEqualTo(255901002L);
        assertThatThrownBy(() -> mapping.map(event("s1", "6a", LocalDate.of(2027, 6, 1), null, AttendanceCategory.PRESENT)))
                .isInstanceOf(EdfiMapping.UnmappableException.class).hasMessage("no Ed-Fi term of school 's1' covers 2027-06-01");
    }

    @Test
    void aPeriodEventIsASectionEventOfItsClassesSection() throws Exception {
        EdfiRequest request = mapping.map(event("s1", "lab", LocalDate.of(2026, 12, 3), "p3", AttendanceCategory.LATE));
        JsonNode body = JSON.readTree(request.body());

        assertThat(request.resource()).isEqualTo("studentSectionAttendanceEvents");
        assertThat(request.descriptor()).endsWith("#Tardy");
        assertThat(body.path("sectionReference").toString()).isEqualTo(
                "{\"localCourseCode\":\"CHEM\",\"schoolId\":255901001,\"schoolYear\":2028,\"sectionIdentifier\":\"LAB-1\",\"sessionName\":\"HK1\"}");
        assertThat(body.has("schoolReference")).isFalse();
        assertThat(body.path("studentReference").path("studentUniqueId").asText()).isEqualTo("079201001234");
        assertThat(body.path("eventDate").asText()).isEqualTo("2026-12-03");
        assertThatThrownBy(() -> mapping.map(event("s1", "6a", LocalDate.of(2026, 12, 3), "p3", AttendanceCategory.LATE)))
                .isInstanceOf(EdfiMapping.UnmappableException.class).hasMessageContaining("class '6a'");
        assertThat(mapping.covers("s1")).isTrue();
        assertThat(mapping.covers("s3")).isFalse();
    }

    @Test
    void aBadLearnerIdIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> new AttendanceEvent("e1", "s1", "07920100123x", "6a", LocalDate.of(2026, 12, 3), "morning", null,
                AttendanceCategory.PRESENT, 1L)).hasMessage("learnerId: the 12-digit national personal ID");
    }

    @Test
    void edfisErrorBodyBecomesAOneLineReasonAndLocationGivesTheId() {
        String problem = "{\"detail\":\"Data validation failed. See 'validationErrors' for details.\",\"status\":400,"
                + "\"validationErrors\":{\"$.eventDate\":[\"eventDate is required.\"]}}";
        assertThat(EdfiClient.reason(problem))
                .isEqualTo(": Data validation failed. See 'validationErrors' for details.; $.eventDate: eventDate is required.");
        assertThat(EdfiClient.reason("")).isEmpty();
        assertThat(EdfiClient.reason("<html>bad gateway</html>")).isEqualTo(": <html>bad gateway</html>");
        assertThat(EdfiClient.idOf("https://h/api/data/v3/ed-fi/studentSchoolAttendanceEvents/4f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00"))
                .isEqualTo("4f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00");
        assertThat(EdfiClient.idOf("/data/v3/ed-fi/studentSchoolAttendanceEvents/abc-123/")).isEqualTo("abc-123");
    }
}
