package org.smartschool.dashboards;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a panel's InfluxQL into the text Grafana's InfluxDB data source sends (InfluxQL mode, raw query), for one
 * time range and one selection of the template variables:
 * <ul>
 *   <li>{@code $timeFilter}: {@code time >= FROMms and time <= TOms};</li>
 *   <li>{@code $__interval} (and {@code $__interval_ms}): the range divided by the panel's data points, at least the
 *       panel's minimum interval (or the data source's {@code timeInterval}), rounded as Grafana's
 *       {@code rangeutil.roundInterval} rounds it;</li>
 *   <li>{@code $__range_s}, {@code $__range_ms}, {@code $__from}, {@code $__to};</li>
 *   <li>a variable: as {@code interpolateQueryExpr} does: a variable that is neither multi-value nor has "All" is
 *       inserted as it is; otherwise each value is regex-escaped, and several are joined as {@code (a|b)}, so
 *       {@code /^$school$/} becomes {@code /^(school-01|school-02)$/}. "All" without a custom all value is every
 *       value of the variable.</li>
 * </ul>
 * Forms {@code $name}, {@code ${name}} and {@code [[name]]}. A variable the dashboard does not define fails the test:
 * Grafana would send it as it is and InfluxDB would refuse the query.
 */
final class GrafanaInterpolation {
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}|\\[\\[(\\w+)]]");
    /** escapeRegex of @grafana/data: these characters are escaped with a backslash. */
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|\\[\\]{}/]");
    /** The data source's minimum interval (provisioning: jsonData.timeInterval), the gateways' usual sampling step. */
    static final long DATASOURCE_MIN_INTERVAL_MS = 10_000;
    /** Grafana's max data points when a panel sets none: its width in pixels; a typical half-width panel. */
    static final int DEFAULT_MAX_DATA_POINTS = 900;

    /** The values a variable takes in one selection, and how the variable is declared. */
    record Selection(GrafanaDashboard.Variable variable, List<String> values) {
    }

    private GrafanaInterpolation() {
    }

    static String interpolate(String query, long fromMs, long toMs, GrafanaDashboard.Panel panel,
                              Map<String, Selection> selections) {
        long intervalMs = intervalMs(toMs - fromMs, panel);
        Matcher m = VARIABLE.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = switch (name) {
                case "timeFilter" -> "time >= " + fromMs + "ms and time <= " + toMs + "ms";
                case "__interval" -> duration(intervalMs);
                case "__interval_ms" -> Long.toString(intervalMs);
                case "__range_s" -> Long.toString((toMs - fromMs) / 1000);
                case "__range_ms" -> Long.toString(toMs - fromMs);
                case "__from" -> Long.toString(fromMs);
                case "__to" -> Long.toString(toMs);
                default -> {
                    Selection selection = selections.get(name);
                    if (selection == null) {
                        throw new AssertionError("panel '" + panel.title() + "' uses $" + name
                                + ", which is neither a variable of the dashboard nor one of Grafana's: " + query);
                    }
                    yield variableValue(selection);
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String variableValue(Selection selection) {
        GrafanaDashboard.Variable v = selection.variable();
        List<String> values = selection.values();
        if (!v.multi() && !v.includeAll()) {
            if (values.size() != 1) {
                throw new AssertionError("variable " + v.name() + " takes one value, got " + values);
            }
            return values.get(0);
        }
        List<String> escaped = values.stream().map(GrafanaInterpolation::escapeRegex).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    static String escapeRegex(String value) {
        return REGEX_SPECIAL.matcher(value).replaceAll("\\\\$0");
    }

    static long intervalMs(long rangeMs, GrafanaDashboard.Panel panel) {
        int points = panel.maxDataPoints() != null ? panel.maxDataPoints() : DEFAULT_MAX_DATA_POINTS;
        long min = panel.interval() != null ? parseDuration(panel.interval().replace(">", "")) : DATASOURCE_MIN_INTERVAL_MS;
        long raw = rangeMs / points;
        return raw < min ? min : roundInterval(raw);
    }

    /** Grafana's rangeutil.roundInterval. */
    static long roundInterval(long ms) {
        long[][] steps = {
            {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000}, {3_500, 2_000},
            {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000},
            {210_000, 120_000}, {450_000, 300_000}, {1_050_000, 600_000}, {2_100_000, 1_800_000},
            {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {27_000_000, 10_800_000}, {64_800_000, 43_200_000},
            {129_600_000, 86_400_000}, {604_800_000, 86_400_000 * 7L}, {2_592_000_000L, 86_400_000 * 30L}};
        if (ms < 10) {
            return 1;
        }
        for (long[] step : steps) {
            if (ms < step[0]) {
                return step[1];
            }
        }
        return 86_400_000 * 365L;
    }

    /** An InfluxQL duration literal: the largest whole unit. */
    static String duration(long ms) {
        long[] units = {604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /** {@code 10s}, {@code 5m}, {@code 1h}, {@code 24h}, {@code 7d}, {@code 1w}. */
    static long parseDuration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w)").matcher(text.strip());
        if (!m.matches()) {
            throw new AssertionError("not a Grafana duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 604_800_000L;
        };
    }

    /** The start of a relative range such as {@code now-24h}, for a given now. */
    static long relativeStart(String from, long now) {
        if (!from.startsWith("now-")) {
            throw new AssertionError("the tests understand ranges like now-24h, not " + from);
        }
        return now - parseDuration(from.substring(4));
    }
}
