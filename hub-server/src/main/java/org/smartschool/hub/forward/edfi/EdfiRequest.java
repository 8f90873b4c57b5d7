package org.smartschool.hub.forward.edfi;

/**
 * One Ed-Fi resource to upsert.
 *
 * @param resource   the resource's collection under {@code baseUrl/ed-fi/} ({@code studentSchoolAttendanceEvents})
 * @param body       its JSON
 * @param descriptor its AttendanceEventCategoryDescriptor URI: part of the natural key, so a change of it
 *                   is a different resource (the old one is deleted first)
 */
public record EdfiRequest(String resource, String body, String descriptor) {
}
