/**
 * The Ed-Fi connector (issue 8, part 5): attendance events as Ed-Fi ODS/API v7 StudentSchoolAttendanceEvent
 * and StudentSectionAttendanceEvent resources, with OAuth2 client-credentials tokens, a durable queue
 * ({@link org.smartschool.hub.forward.edfi.EdfiStore}) and delete-then-create when a category changes.
 */
package org.smartschool.hub.forward.edfi;
