package org.smartschool.hub.report;

import java.time.YearMonth;

/** A school's report failed within a district roll-up: the roll-up is not made without it. */
public final class DistrictReportException extends RuntimeException {
    private final String school;

    public DistrictReportException(String school, YearMonth month, Throwable cause) {
        super("the district roll-up of " + month + " failed at school '" + school + "': "
                + org.smartschool.bridge.text.SafeText.clean(String.valueOf(cause), 300), cause);
        this.school = school;
    }

    /** The school whose report failed (cleaned for a log). */
    public String school() {
        return school;
    }
}
