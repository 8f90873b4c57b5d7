package org.smartschool.hub.auth;

/**
 * One change through the API: who, when, what. Never a body: bodies may hold passwords, tokens or learner ids.
 *
 * @param id     assigned by the log; 0 before it is stored
 * @param actor  the user name or {@code token:ID}
 * @param school the school concerned; null for district-wide changes
 * @param action {@code POST /api/v1/alarms/{id}/ack}
 * @param target the path's parameters ({@code id=...}), or what else names the object changed
 * @param status the HTTP status answered: 2xx done, 403 refused
 */
public record AuditEntry(long id, long at, String actor, String role, String school, String action, String target,
                         int status) {
}
