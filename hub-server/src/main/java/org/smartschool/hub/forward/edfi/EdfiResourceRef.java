package org.smartschool.hub.forward.edfi;

/**
 * What Ed-Fi holds for one slot (learner, school, day, class, session or period): the resource created
 * for its latest event, by the id from the {@code Location} header, kept so that a change of category
 * can delete it.
 *
 * @param slot       {@link org.smartschool.hub.attendance.AttendanceEvent#slot()}: holds the learner's id
 * @param resource   the collection ({@code studentSchoolAttendanceEvents})
 * @param id         Ed-Fi's resource id
 * @param descriptor the category descriptor it was created with
 */
public record EdfiResourceRef(String slot, String resource, String id, String descriptor) {
}
