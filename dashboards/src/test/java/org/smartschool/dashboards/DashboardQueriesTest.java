package org.smartschool.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.smartschool.dashboards.GrafanaDashboard.Panel;
import org.smartschool.dashboards.GrafanaDashboard.Target;
import org.smartschool.dashboards.GrafanaDashboard.Variable;
import org.smartschool.dashboards.GrafanaInterpolation.Selection;

/**
 * Every query of every dashboard returns rows from a real InfluxDB holding a simulated district written by the
 * hub's own store ({@link SimulatedDistrict}): each template variable's query, and each target of each panel with
 * the variables substituted as Grafana substitutes them ({@link GrafanaInterpolation}), in the dashboard's default
 * time range (or the panel's own) ending when the simulated morning ends, twice: with every variable at its default
 * ("All" where it has one, the first value otherwise) and with one school, three rooms and one class chosen. A repeated panel
 * runs once per value of its repeat variable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class DashboardQueriesTest {
    /**
     * The chosen selection: one school, three rooms (a classroom, the lab, a building's meters: several values of a
     * multi-value variable, sent as a regex group) and one class, all of which the simulated district has.
     */
    private static final Map<String, List<String>> CHOSEN = Map.of("school", List.of("school-01"),
            "room", List.of("r101", "lab", "bldg-1"), "class", List.of("6a1"));

    private String url;
    private String database;
    private SimulatedDistrict district;
    private final List<GrafanaDashboard> dashboards = GrafanaDashboard.all();

    @BeforeAll
    void writeDistrict() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase("queries");
        district = SimulatedDistrict.yesterdayMorning(Instant.now());
        district.writeTo(url, database);
        assertThat(district.readings).as("simulated readings").isGreaterThan(10_000);
        assertThat(district.undecodable).as("simulated messages the codecs refused").isZero();
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    @Test
    void theFourDashboardsAreThereAndEveryQueryIsBoundedByTheTimePicker() {
        assertThat(dashboards).extracting(GrafanaDashboard::name)
                .containsExactly("attendance.json", "district-overview.json", "equipment-uptime.json", "school-facility.json");
        for (GrafanaDashboard d : dashboards) {
            assertThat(d.panels()).as(d.name() + " panels").isNotEmpty();
            for (Panel p : d.panels()) {
                assertThat(p.targets()).as(d.name() + " / " + p.title() + " targets").isNotEmpty();
                for (Target t : p.targets()) {
                    assertThat(t.rawQuery()).as(d.name() + " / " + p.title() + " " + t.refId() + " is raw InfluxQL").isTrue();
                    // InfluxDB 1.x reads every shard of a query without a time range (docs/storage.md: 24-36 s)
                    assertThat(t.query()).as(d.name() + " / " + p.title() + " is bounded by the time picker").contains("$timeFilter");
                    assertThat(t.datasource().path("uid").asText()).as("data source of " + p.title())
                            .isEqualTo(ProvisioningTest.DATASOURCE_UID);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> everyVariableQueryReturnsValues() {
        return dashboards.stream().map(d -> DynamicContainer.dynamicContainer(d.name(), d.variables().stream()
                .filter(v -> v.type().equals("query"))
                .map(v -> DynamicTest.dynamicTest("$" + v.name(), () -> {
                    List<String> values = variableValues(d, v, defaults(d, v.name()));
                    assertThat(values).as("values of $" + v.name() + " in " + d.name()).isNotEmpty();
                    if (CHOSEN.containsKey(v.name())) {
                        assertThat(values).as("values of $" + v.name()).containsAll(CHOSEN.get(v.name()));
                    }
                }))));
    }

    @TestFactory
    Stream<DynamicNode> everyPanelQueryReturnsRowsWithTheDefaultVariables() {
        return dashboards.stream().map(d -> DynamicContainer.dynamicContainer(d.name(), panelTests(d, false)));
    }

    @TestFactory
    Stream<DynamicNode> everyPanelQueryReturnsRowsForOneSchoolSomeRoomsAndOneClass() {
        return dashboards.stream().map(d -> DynamicContainer.dynamicContainer(d.name(), panelTests(d, true)));
    }

    /** The hourly means the continuous query keeps for ten years hold the simulated hours. */
    @Test
    void hourlyMeansAreRolledUpForTheLongTermPolicy() {
        JsonNode answer = TestInflux.query(url, database,
                "SELECT count(\"mean_co2\") FROM \"hourly\".\"reading_1h\" WHERE time >= " + district.start + "ms GROUP BY \"school\"");
        assertThat(answer.path("results").path(0).path("series")).hasSize(SimulatedDistrict.SCHOOLS.size());
    }

    /**
     * Over exactly the simulated window, the panel's completeness is each device's share of 5-minute slots with a
     * CO2 reading (100 % = every slot of the window), averaged over the school's devices: computed here from what
     * the simulation wrote (its devices go offline now and then, by a pattern that changes with the date). Exact:
     * with an integer constant InfluxDB 1.6 divided integers and truncated each device's share (88.67 for 88.89).
     */
    @Test
    void completenessOverTheSimulatedWindowIsNearlyComplete() {
        GrafanaDashboard overview = dashboards.stream().filter(d -> d.uid().equals("ss-district-overview")).findFirst().orElseThrow();
        Panel completeness = overview.panels().stream().filter(p -> "quantity".equals(p.repeat())).findFirst().orElseThrow();
        Map<String, Selection> selections = defaultSelections(overview);
        selections.put("quantity", new Selection(overview.variable("quantity"), List.of("co2")));
        String query = GrafanaInterpolation.interpolate(completeness.targets().get(0).query(), district.start, district.end,
                completeness, selections);
        JsonNode series = TestInflux.query(url, database, query).path("results").path(0).path("series");
        assertThat(series).as(query).hasSize(SimulatedDistrict.SCHOOLS.size());
        double rangeSeconds = (district.end - district.start) / 1000.0;
        for (JsonNode s : series) {
            String school = s.path("tags").path("school").asText();
            double expected = district.co2Slots.get(school).values().stream()
                    .mapToDouble(slots -> slots.size() * 30_000 / rangeSeconds).average().orElseThrow();
            assertThat(s.path("values").path(0).path(1).asDouble()).as("CO2 completeness of " + school)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6)).isBetween(50.0, 101.0);
        }
    }

    /** The attendance rate panel computes (present + late) / all four categories per school and Ho Chi Minh City day. */
    @Test
    void attendanceRateByDayIsPresentAndLateOverEveryLearner() {
        GrafanaDashboard attendance = dashboards.stream().filter(d -> d.uid().equals("ss-attendance")).findFirst().orElseThrow();
        Panel byDay = attendance.panels().stream().filter(p -> p.title().equals("Attendance rate by school and day"))
                .findFirst().orElseThrow();
        long from = GrafanaInterpolation.relativeStart(attendance.timeFrom(), district.end);
        String query = GrafanaInterpolation.interpolate(byDay.targets().get(0).query(), from, district.end, byDay,
                defaultSelections(attendance));
        JsonNode series = TestInflux.query(url, database, query).path("results").path(0).path("series");
        assertThat(series).as(query).hasSize(SimulatedDistrict.SCHOOLS.size());
        ZoneId hoChiMinh = ZoneId.of("Asia/Ho_Chi_Minh");
        int days = 0;
        for (JsonNode s : series) {
            String school = s.path("tags").path("school").asText();
            for (JsonNode row : s.path("values")) {
                // tz('Asia/Ho_Chi_Minh'): each day starts at its local midnight; only sessions up to "now" count
                LocalDate day = Instant.ofEpochMilli(row.get(0).asLong()).atZone(hoChiMinh).toLocalDate();
                long[] t = new long[4];
                district.attendance.stream().filter(a -> a.school().equals(school) && a.at() >= from && a.at() <= district.end
                        && Instant.ofEpochMilli(a.at()).atZone(hoChiMinh).toLocalDate().equals(day)).forEach(a -> {
                            t[0] += a.present();
                            t[1] += a.late();
                            t[2] += a.excused();
                            t[3] += a.unexcused();
                        });
                assertThat(t[0]).as("simulated learners present at " + school + " on " + day).isPositive();
                double expected = (t[0] + t[1]) * 100.0 / (t[0] + t[1] + t[2] + t[3]);
                assertThat(row.get(1).asDouble()).as("rate of " + school + " on " + day).isCloseTo(expected, Offset.offset(1e-9));
                days++;
            }
        }
        assertThat(days).isEqualTo(SimulatedDistrict.SCHOOLS.size() * SimulatedDistrict.ATTENDANCE_DAYS);
    }

    /** The noise panel is the 1-hour LAeq: the energy mean of the readings, as computed here from the raw readings. */
    @Test
    void noiseIsTheEnergyMeanOfEachHour() {
        GrafanaDashboard facility = dashboards.stream().filter(d -> d.uid().equals("ss-school-facility")).findFirst().orElseThrow();
        Panel noise = facility.panels().stream().filter(p -> p.title().startsWith("Noise")).findFirst().orElseThrow();
        String query = GrafanaInterpolation.interpolate(noise.targets().get(0).query(), district.start, district.end, noise,
                chosenSelections(facility));
        JsonNode series = TestInflux.query(url, database, query).path("results").path(0).path("series");
        JsonNode r101 = null;
        for (JsonNode s : series) {
            if (s.path("tags").path("room").asText().equals("r101")) {
                r101 = s;
            }
        }
        assertThat(r101).as("r101 in " + series).isNotNull();
        JsonNode raw = TestInflux.query(url, database, "SELECT \"noise\" FROM \"reading\" WHERE \"school\" = 'school-01' AND \"room\" = 'r101' AND time >= "
                + district.start + "ms AND time <= " + district.end + "ms").path("results").path(0).path("series").path(0).path("values");
        assertThat(raw.size()).isGreaterThan(100);
        int hours = 0;
        for (JsonNode row : r101.path("values")) {
            long hour = row.get(0).asLong();
            double energy = 0;
            int n = 0;
            double plainMean = 0;
            for (JsonNode reading : raw) {
                if (reading.get(0).asLong() >= hour && reading.get(0).asLong() < hour + 3_600_000L && !reading.get(1).isNull()) {
                    energy += Math.pow(10, reading.get(1).asDouble() / 10);
                    plainMean += reading.get(1).asDouble();
                    n++;
                }
            }
            assertThat(n).as("readings in the hour at " + Instant.ofEpochMilli(hour)).isPositive();
            double laeq = 10 * Math.log10(energy / n);
            assertThat(row.get(1).asDouble()).as("LAeq of r101 at " + Instant.ofEpochMilli(hour)).isCloseTo(laeq, Offset.offset(1e-4)) // InfluxDB sums 10^(L/10) in its own order
                    .isGreaterThanOrEqualTo(plainMean / n - 1e-9);
            hours++;
        }
        assertThat(hours).isGreaterThanOrEqualTo(3);
    }

    private Stream<DynamicNode> panelTests(GrafanaDashboard d, boolean chosen) {
        List<DynamicNode> tests = new ArrayList<>();
        for (Panel p : d.panels()) {
            for (Target t : p.targets()) {
                List<String> repeats = p.repeat() == null ? List.of("") : optionsOf(d, d.variable(p.repeat()));
                for (String repeat : repeats) {
                    String name = p.title() + " [" + t.refId() + "]" + (repeat.isEmpty() ? "" : " $" + p.repeat() + "=" + repeat);
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        Map<String, Selection> selections = chosen ? chosenSelections(d) : defaultSelections(d);
                        if (!repeat.isEmpty()) {
                            selections.put(p.repeat(), new Selection(d.variable(p.repeat()), List.of(repeat)));
                        }
                        assertReturnsRows(d, p, t, selections);
                    }));
                }
            }
        }
        return tests.stream();
    }

    private void assertReturnsRows(GrafanaDashboard d, Panel p, Target t, Map<String, Selection> selections) {
        long now = district.end;
        long from = GrafanaInterpolation.relativeStart(p.timeFrom() != null ? "now-" + p.timeFrom() : d.timeFrom(), now);
        String query = GrafanaInterpolation.interpolate(t.query(), from, now, p, selections);
        JsonNode result = TestInflux.query(url, database, query).path("results").path(0);
        assertThat(result.has("error")).as("InfluxDB refused " + query + ": " + result.path("error").asText()).isFalse();
        JsonNode series = result.path("series");
        assertThat(series.size()).as("series of " + query).isPositive();
        boolean aValue = false;
        for (JsonNode s : series) {
            for (JsonNode row : s.path("values")) {
                for (int c = 1; c < row.size(); c++) {
                    aValue |= !row.get(c).isNull();
                }
            }
        }
        assertThat(aValue).as("a non-null value in the rows of " + query).isTrue();
    }

    /** Each variable at its default: "All" (every value) where it has one, its saved values for a custom one, else the first value. */
    private Map<String, Selection> defaultSelections(GrafanaDashboard d) {
        Map<String, Selection> selections = new LinkedHashMap<>();
        for (Variable v : d.variables()) {
            List<String> values = v.type().equals("custom") ? v.current() : variableValues(d, v, selections);
            assertThat(values).as("values of $" + v.name()).isNotEmpty();
            selections.put(v.name(), new Selection(v, v.includeAll() || v.type().equals("custom") ? values : List.of(values.get(0))));
        }
        return selections;
    }

    private Map<String, Selection> chosenSelections(GrafanaDashboard d) {
        Map<String, Selection> selections = defaultSelections(d);
        for (Variable v : d.variables()) {
            if (CHOSEN.containsKey(v.name())) {
                selections.put(v.name(), new Selection(v, CHOSEN.get(v.name())));
            }
        }
        return selections;
    }

    /** The selections of the variables before {@code name}, at their defaults (Grafana refreshes them in order). */
    private Map<String, Selection> defaults(GrafanaDashboard d, String name) {
        Map<String, Selection> all = defaultSelections(d);
        Map<String, Selection> before = new LinkedHashMap<>();
        for (Variable v : d.variables()) {
            if (v.name().equals(name)) {
                break;
            }
            before.put(v.name(), all.get(v.name()));
        }
        return before;
    }

    private List<String> optionsOf(GrafanaDashboard d, Variable v) {
        return v.type().equals("custom") ? List.of(v.query().split(",")) : variableValues(d, v, defaultSelections(d));
    }

    /** Runs a query variable's SHOW TAG VALUES with the variables before it substituted; its values, as Grafana lists them. */
    private List<String> variableValues(GrafanaDashboard d, Variable v, Map<String, Selection> before) {
        Panel none = new Panel(0, "variable", "$" + v.name(), null, null, null, null, List.of(), null);
        String query = GrafanaInterpolation.interpolate(v.query(), district.start, district.end, none, before);
        JsonNode result = TestInflux.query(url, database, query).path("results").path(0);
        assertThat(result.has("error")).as("InfluxDB refused " + query + ": " + result.path("error").asText()).isFalse();
        List<String> values = new ArrayList<>();
        for (JsonNode s : result.path("series")) {
            for (JsonNode row : s.path("values")) {
                String value = row.get(row.size() - 1).asText();
                if (!values.contains(value)) {
                    values.add(value);
                }
            }
        }
        values.sort(null);
        return values;
    }
}
