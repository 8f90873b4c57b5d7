package org.smartschool.hub.registry;

import java.time.LocalDate;

/**
 * One line of an equipment's maintenance log.
 *
 * @param date when it was done, in the school's calendar
 * @param by   who did it (a technician, a company); optional
 * @param note what was found or done; optional
 */
public record MaintenanceEntry(LocalDate date, MaintenanceKind kind, String by, String note) {
    public MaintenanceEntry {
        if (date == null) {
            throw new InvalidRegistryException("date", "date is required (YYYY-MM-DD)");
        }
        if (kind == null) {
            throw new InvalidRegistryException("kind", "kind is required: one of " + MaintenanceKind.names());
        }
        by = Check.optionalText("by", by);
        note = Check.optionalText("note", note);
    }
}
