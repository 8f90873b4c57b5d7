package org.smartschool.hub.auth;

import java.util.List;

/** The audit log in the state database. Blocking. */
public interface AuditLog {
    void record(AuditEntry entry);

    /**
     * Newest first.
     *
     * @param school only this school's entries; null for all
     * @param before only entries with a smaller id (paging); null for the newest
     */
    List<AuditEntry> entries(String school, Long before, int limit);
}
