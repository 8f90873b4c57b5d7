/**
 * Attendance as the hub forwards it (issue 9 builds the rest: roster, timetable, decisions at the
 * door): the event record and the sink its producers hand events to.
 */
package org.smartschool.hub.attendance;
