package org.smartschool.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A dashboard JSON file of this module as the tests see it: its template variables, and every panel (also those
 * inside rows) with its targets, the panel's own time range ({@code timeFrom}), minimum interval and repeat variable.
 */
record GrafanaDashboard(Path file, JsonNode json, List<Variable> variables, List<Panel> panels) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A template variable: {@code query} (InfluxQL, for type query) or the comma-separated values (type custom). */
    record Variable(String name, String type, String query, boolean multi, boolean includeAll, List<String> current) {
    }

    record Panel(int id, String type, String title, String timeFrom, String interval, Integer maxDataPoints,
                 String repeat, List<Target> targets, JsonNode json) {
    }

    record Target(String refId, String query, boolean rawQuery, JsonNode datasource) {
    }

    /** The dashboards directory: {@code dashboards/grafana} of this module (the {@code dashboards.dir} property). */
    static Path directory() {
        return Path.of(System.getProperty("dashboards.dir", ".")).resolve("grafana");
    }

    /** Every {@code *.json} in {@link #directory()}, sorted by file name. */
    static List<GrafanaDashboard> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().map(GrafanaDashboard::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory(), e);
        }
    }

    static GrafanaDashboard read(Path file) {
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : json.path("templating").path("list")) {
            List<String> current = new ArrayList<>();
            JsonNode value = v.path("current").path("value");
            if (value.isArray()) {
                value.forEach(x -> current.add(x.asText()));
            } else if (value.isTextual()) {
                current.add(value.asText());
            }
            variables.add(new Variable(v.path("name").asText(), v.path("type").asText(), v.path("query").asText(),
                    v.path("multi").asBoolean(), v.path("includeAll").asBoolean(), current));
        }
        List<Panel> panels = new ArrayList<>();
        collect(json.path("panels"), panels);
        return new GrafanaDashboard(file, json, List.copyOf(variables), List.copyOf(panels));
    }

    private static void collect(JsonNode list, List<Panel> out) {
        for (JsonNode p : list) {
            if (p.path("type").asText().equals("row")) {
                collect(p.path("panels"), out);
                continue;
            }
            List<Target> targets = new ArrayList<>();
            for (JsonNode t : p.path("targets")) {
                targets.add(new Target(t.path("refId").asText(), t.path("query").asText(), t.path("rawQuery").asBoolean(),
                        t.path("datasource").isMissingNode() ? p.path("datasource") : t.path("datasource")));
            }
            out.add(new Panel(p.path("id").asInt(), p.path("type").asText(), p.path("title").asText(),
                    text(p, "timeFrom"), text(p, "interval"),
                    p.has("maxDataPoints") ? p.get("maxDataPoints").asInt() : null, text(p, "repeat"), List.copyOf(targets), p));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    String name() {
        return file.getFileName().toString();
    }

    String uid() {
        return json.path("uid").asText();
    }

    /** The dashboard's default time range start, e.g. {@code now-24h}. */
    String timeFrom() {
        return json.path("time").path("from").asText();
    }

    Variable variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name() + " has no variable " + name));
    }
}
