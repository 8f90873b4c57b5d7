package org.smartschool.hub.config;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.model.Ids;

/**
 * The Ed-Fi connector (README, "Ed-Fi"): attendance events go to an Ed-Fi ODS/API v7 as
 * StudentSchoolAttendanceEvent and StudentSectionAttendanceEvent resources. Off while {@code baseUrl}
 * is empty. Our ids become Ed-Fi's here: each school's integer {@code schoolId}, the school year, the
 * Ed-Fi session (term) that holds the day, and the sections of period-level classes.
 *
 * @param baseUrl        the API's data root, e.g. {@code https://edfi.example.org/api/data/v3} (resources
 *                       are under {@code baseUrl/ed-fi/...}); empty: the connector is off
 * @param tokenUrl       the OAuth2 token endpoint, e.g. {@code https://edfi.example.org/api/oauth/token}
 * @param key            the API client's key (client id)
 * @param secret         the API client's secret; never printed
 * @param timeoutSeconds how long one request may take
 * @param retryHours     how long an event is retried before it becomes a dead letter
 * @param pollMillis     how often the queue is looked at
 * @param maxInFlight    requests at once (each learner's events still go one after the other)
 * @param schoolYear     the Ed-Fi school year (the year it ends: 2027 for 2026-2027), unless a school says otherwise
 * @param terms          the Ed-Fi sessions (terms) by date, unless a school lists its own
 * @param schools        per school id of ours: its Ed-Fi ids; schools not listed are not forwarded to Ed-Fi
 */
public record EdfiConfig(String baseUrl, String tokenUrl, String key, String secret, int timeoutSeconds,
                         int retryHours, int pollMillis, int maxInFlight, int schoolYear, List<Term> terms,
                         Map<String, School> schools) {
    public static final EdfiConfig DEFAULT = new EdfiConfig("", "", "", "", 10, 24, 200, 8, 0, List.of(), Map.of());

    /**
     * An Ed-Fi session: its {@code sessionName} and the days it covers ({@code begin} to {@code end}, both
     * included, as YYYY-MM-DD).
     */
    public record Term(String name, String begin, String end) {
        public LocalDate beginDate() {
            return LocalDate.parse(begin);
        }

        public LocalDate endDate() {
            return LocalDate.parse(end);
        }

        public boolean covers(LocalDate day) {
            return !day.isBefore(beginDate()) && !day.isAfter(endDate());
        }
    }

    /**
     * One school's Ed-Fi ids.
     *
     * @param schoolId   Ed-Fi's integer school id (0 when missing: refused by {@link EdfiConfig})
     * @param schoolYear 0 or missing: {@code edfi.schoolYear}
     * @param terms      empty: {@code edfi.terms}
     * @param sections   per class id of ours that takes period-level attendance: its Ed-Fi section
     */
    public record School(Long schoolId, Integer schoolYear, List<Term> terms, Map<String, Section> sections) {
        public School {
            // boxed: a key left out of the YAML arrives as null, which the loader refuses for a primitive
            schoolId = schoolId == null ? 0L : schoolId;
            schoolYear = schoolYear == null ? 0 : schoolYear;
            terms = terms == null ? List.of() : List.copyOf(terms);
            sections = sections == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        }
    }

    /** An Ed-Fi section's own identifiers (school, year and session come from the school and the day). */
    public record Section(String localCourseCode, String sectionIdentifier) {
    }

    public EdfiConfig {
        baseUrl = strip(baseUrl);
        tokenUrl = strip(tokenUrl);
        key = strip(key);
        secret = secret == null ? "" : secret;
        terms = terms == null ? List.of() : List.copyOf(terms);
        schools = schools == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schools));
        require("edfi.timeoutSeconds", timeoutSeconds, 1, 120);
        require("edfi.retryHours", retryHours, 1, 7 * 24);
        require("edfi.pollMillis", pollMillis, 10, 60_000);
        require("edfi.maxInFlight", maxInFlight, 1, 256);
        if (!baseUrl.isEmpty()) {
            httpUrl("edfi.baseUrl", baseUrl);
            httpUrl("edfi.tokenUrl", tokenUrl);
            if (key.isEmpty() || secret.isEmpty()) {
                throw new IllegalArgumentException("edfi.key and edfi.secret: the API client's credentials are needed"
                        + " when edfi.baseUrl is set (env SS_HUB_EDFI_KEY, SS_HUB_EDFI_SECRET)");
            }
            if (schools.isEmpty()) {
                throw new IllegalArgumentException("edfi.schools: list at least one school (our id: its Ed-Fi schoolId)");
            }
        }
        if (schoolYear != 0) {
            require("edfi.schoolYear", schoolYear, 1991, 2100);
        }
        checkTerms("edfi.terms", terms);
        for (Map.Entry<String, School> e : schools.entrySet()) {
            String path = "edfi.schools." + e.getKey();
            try {
                Ids.require("school", e.getKey());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(path + ": " + bad.getMessage(), bad);
            }
            School s = e.getValue();
            if (s == null) {
                throw new IllegalArgumentException(path + ": give at least its schoolId");
            }
            if (s.schoolId() <= 0) {
                throw new IllegalArgumentException(path + ".schoolId: Ed-Fi's integer school id, positive: " + s.schoolId());
            }
            if (s.schoolYear() != 0) {
                require(path + ".schoolYear", s.schoolYear(), 1991, 2100);
            } else if (schoolYear == 0) {
                throw new IllegalArgumentException(path + ".schoolYear: set it, or edfi.schoolYear for every school");
            }
            checkTerms(path + ".terms", s.terms());
            if (s.terms().isEmpty() && terms.isEmpty()) {
                throw new IllegalArgumentException(path + ".terms: list the Ed-Fi sessions, or edfi.terms for every school");
            }
            for (Map.Entry<String, Section> section : s.sections().entrySet()) {
                String at = path + ".sections." + section.getKey();
                Section v = section.getValue();
                if (v == null || strip(v.localCourseCode()).isEmpty() || strip(v.sectionIdentifier()).isEmpty()) {
                    throw new IllegalArgumentException(at + ": needs localCourseCode and sectionIdentifier");
                }
            }
        }
    }

    public boolean enabled() {
        return !baseUrl.isEmpty();
    }

    /** The school year of a school's events (its own, or the district's). */
    public int schoolYearOf(School school) {
        return school.schoolYear() != 0 ? school.schoolYear() : schoolYear;
    }

    /** The terms of a school (its own, or the district's). */
    public List<Term> termsOf(School school) {
        return school.terms().isEmpty() ? terms : school.terms();
    }

    private static void checkTerms(String path, List<Term> terms) {
        List<Term> seen = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            String at = path + "[" + i + "]";
            Term t = terms.get(i);
            if (t == null || strip(t.name()).isEmpty()) {
                throw new IllegalArgumentException(at + ".name: the Ed-Fi sessionName is missing");
            }
            LocalDate begin = date(at + ".begin", t.begin());
            LocalDate end = date(at + ".end", t.end());
            if (end.isBefore(begin)) {
                throw new IllegalArgumentException(at + ".end: before its begin " + begin);
            }
            for (Term other : seen) {
                if (!begin.isAfter(other.endDate()) && !end.isBefore(other.beginDate())) {
                    throw new IllegalArgumentException(at + ": overlaps the term '" + other.name() + "'");
                }
            }
            seen.add(t);
        }
    }

    private static LocalDate date(String path, String text) {
        try {
            return LocalDate.parse(strip(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + ": a date as YYYY-MM-DD, not '" + text + "'", e);
        }
    }

    private static void httpUrl(String path, String text) {
        try {
            URI uri = URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": an absolute http:// or https:// URL, not '" + text + "'", e);
        }
    }

    private static String strip(String text) {
        return text == null ? "" : text.strip();
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + value);
        }
    }

    @Override
    public String toString() {
        return "EdfiConfig[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", key=" + key + ", secret="
                + (secret.isEmpty() ? "" : "***") + ", schools=" + schools.keySet() + "]";
    }
}
