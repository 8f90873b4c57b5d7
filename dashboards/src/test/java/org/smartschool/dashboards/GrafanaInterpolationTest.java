package org.smartschool.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.dashboards.GrafanaDashboard.Panel;
import org.smartschool.dashboards.GrafanaDashboard.Variable;
import org.smartschool.dashboards.GrafanaInterpolation.Selection;

/** The substitution the query tests rely on does what Grafana's InfluxDB data source does. */
class GrafanaInterpolationTest {
    private static final Panel PANEL = new Panel(1, "timeseries", "p", null, null, null, null, List.of(), null);
    private static final Variable SCHOOL = new Variable("school", "query", "", true, true, List.of());
    private static final Variable SINGLE = new Variable("school", "query", "", false, false, List.of());

    @Test
    void severalValuesBecomeAnEscapedRegexGroupAndOneValueStaysAlone() {
        String q = "SELECT 1 FROM r WHERE \"school\" =~ /^$school$/";
        assertThat(GrafanaInterpolation.interpolate(q, 0, 1000, PANEL,
                Map.of("school", new Selection(SCHOOL, List.of("school-01", "a.b/c")))))
                .isEqualTo("SELECT 1 FROM r WHERE \"school\" =~ /^(school-01|a\\.b\\/c)$/");
        assertThat(GrafanaInterpolation.interpolate(q, 0, 1000, PANEL,
                Map.of("school", new Selection(SCHOOL, List.of("a.b")))))
                .isEqualTo("SELECT 1 FROM r WHERE \"school\" =~ /^a\\.b$/");
        // neither multi-value nor "All": inserted as it is
        assertThat(GrafanaInterpolation.interpolate("${school} [[school]]", 0, 1000, PANEL,
                Map.of("school", new Selection(SINGLE, List.of("a.b"))))).isEqualTo("a.b a.b");
    }

    @Test
    void timeFilterIntervalAndRangeAreGrafanas() {
        long day = 86_400_000L;
        assertThat(GrafanaInterpolation.interpolate("$timeFilter GROUP BY time($__interval) / $__range_s", 1_000, 1_000 + day,
                PANEL, Map.of())).isEqualTo("time >= 1000ms and time <= " + (1_000 + day) + "ms GROUP BY time(2m) / 86400");
        // a panel's minimum interval wins over a finer computed one
        Panel hourly = new Panel(1, "timeseries", "p", null, "1h", null, null, List.of(), null);
        assertThat(GrafanaInterpolation.interpolate("$__interval", 0, day, hourly, Map.of())).isEqualTo("1h");
        // never finer than the data source's 10 s
        assertThat(GrafanaInterpolation.interpolate("$__interval", 0, 60_000, PANEL, Map.of())).isEqualTo("10s");
        assertThat(GrafanaInterpolation.roundInterval(100_000)).isEqualTo(120_000);
        assertThat(GrafanaInterpolation.relativeStart("now-7d", 10 * day)).isEqualTo(3 * day);
    }

    @Test
    void anUndefinedVariableFailsRatherThanReachingInfluxDb() {
        assertThatThrownBy(() -> GrafanaInterpolation.interpolate("WHERE \"room\" =~ /^$rooom$/", 0, 1, PANEL, Map.of()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("$rooom");
    }
}
