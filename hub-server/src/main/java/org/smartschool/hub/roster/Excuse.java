package org.smartschool.hub.roster;

import java.time.LocalDate;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;

/**
 * An excuse from the school management system: the learner is excused for a session of a day, or for one
 * period of it when {@code period} is set. Personal data: {@link #toString()} hides the learner.
 */
public record Excuse(String learner, LocalDate date, String session, String period) {
    public Excuse {
        if (!Learner.isValidId(learner)) {
            throw new IllegalArgumentException("learner: not 12 digits");
        }
        Objects.requireNonNull(date, "date");
        Ids.require("session", session);
        if (period != null) {
            Ids.require("period", period);
        }
    }

    @Override
    public String toString() {
        return "Excuse[date=" + date + ", session=" + session + ", period=" + period + "]";
    }
}
