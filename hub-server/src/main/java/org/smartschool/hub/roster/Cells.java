package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.text.SafeText;

/**
 * Reads typed values out of a CSV row; a bad cell adds a problem naming the row's file, line and the
 * column, and gives null. Personal columns ({@link #learnerId}, UIDs) are never quoted.
 */
final class Cells {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final CsvTable.Row row;
    private final RosterProblems problems;

    Cells(CsvTable.Row row, RosterProblems problems) {
        this.row = row;
        this.problems = problems;
    }

    String text(String column) {
        return row.get(column);
    }

    /** A project id (1-64 of letters, digits, '.', '_', '-'); required unless {@code optional}. */
    String id(String column, boolean optional) {
        String v = row.get(column);
        if (v.isEmpty()) {
            if (!optional) {
                problem(column, "required");
            }
            return null;
        }
        if (!Ids.isValid(v)) {
            problem(column, "'" + SafeText.clean(v, 70) + "' is not an id (1-64 letters, digits, '.', '_', '-', first a letter or digit)");
            return null;
        }
        return v;
    }

    /** Ids separated by ';' or spaces; empty list when the cell is empty. */
    List<String> ids(String column) {
        String v = row.get(column);
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        for (String part : v.split("[;\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!Ids.isValid(part)) {
                problem(column, "'" + SafeText.clean(part, 70) + "' is not an id");
                return null;
            }
            out.add(part);
        }
        return out;
    }

    /** A 12-digit national personal ID; the value is never quoted. */
    String learnerId(String column) {
        String v = row.get(column);
        if (v.isEmpty()) {
            problem(column, "required: the learner's 12-digit personal ID");
            return null;
        }
        if (!Learner.isValidId(v)) {
            problem(column, "not a 12-digit personal ID (" + v.length() + " characters)");
            return null;
        }
        return v;
    }

    LocalTime time(String column, boolean optional) {
        String v = row.get(column);
        if (v.isEmpty()) {
            if (!optional) {
                problem(column, "required (HH:mm)");
            }
            return null;
        }
        try {
            return LocalTime.parse(v, HH_MM);
        } catch (DateTimeParseException e) {
            problem(column, "'" + SafeText.clean(v, 20) + "' is not HH:mm");
            return null;
        }
    }

    LocalDate date(String column) {
        String v = row.get(column);
        if (v.isEmpty()) {
            problem(column, "required (YYYY-MM-DD)");
            return null;
        }
        try {
            return LocalDate.parse(v.length() > 10 && v.charAt(10) == 'T' ? v.substring(0, 10) : v);
        } catch (DateTimeParseException e) {
            problem(column, "'" + SafeText.clean(v, 30) + "' is not a date (YYYY-MM-DD)");
            return null;
        }
    }

    DayOfWeek day(String column) {
        String v = row.get(column);
        DayOfWeek d = parseDay(v);
        if (d == null) {
            problem(column, v.isEmpty() ? "required (MONDAY ... SUNDAY)" : "'" + SafeText.clean(v, 20) + "' is not a day (MONDAY ... SUNDAY)");
        }
        return d;
    }

    /** Days separated by ';' or spaces, or a range {@code MONDAY-SATURDAY}; {@code fallback} when empty. */
    Set<DayOfWeek> days(String column, Set<DayOfWeek> fallback) {
        String v = row.get(column);
        if (v.isEmpty()) {
            return fallback;
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : v.split("[;\\s,]+")) {
            String[] range = part.split("-", 2);
            DayOfWeek from = parseDay(range[0]);
            DayOfWeek to = range.length == 2 ? parseDay(range[1]) : from;
            if (from == null || to == null || to.compareTo(from) < 0) {
                problem(column, "'" + SafeText.clean(part, 30) + "' is not a day or a range of days (MONDAY-SATURDAY)");
                return null;
            }
            out.addAll(EnumSet.range(from, to));
        }
        return out;
    }

    Integer integer(String column, int fallback, int min, int max) {
        String v = row.get(column);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        problem(column, "'" + SafeText.clean(v, 20) + "' is not a whole number from " + min + " to " + max);
        return null;
    }

    void problem(String column, String message) {
        problems.add(row.where(), column, message);
    }

    Where where() {
        return row.where();
    }

    private static DayOfWeek parseDay(String v) {
        String upper = v.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(upper) || (upper.length() == 3 && d.name().startsWith(upper))) {
                return d;
            }
        }
        return null;
    }
}
