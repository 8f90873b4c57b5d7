package org.smartschool.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every dashboard JSON is valid against Grafana's published dashboard model, and every panel's options and field
 * config against its panel plugin's published model: the TypeScript types of the npm package {@code @grafana/schema}
 * (version in {@code schema/package.json}; Grafana generates them from its CUE kinds), turned into JSON Schema
 * (draft 7) at build time by {@code schema/generate.mjs} with ts-json-schema-generator, validated with networknt's
 * json-schema-validator. Interfaces become closed objects, so a misspelt key or a value outside an enum fails.
 */
class DashboardSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Path SCHEMAS = Path.of(System.getProperty("grafana.schema.dir", "target/grafana-schema"));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    @Test
    void theSchemaComesFromThePinnedGrafanaPackage() throws IOException {
        JsonNode pkg = JSON.readTree(Path.of(System.getProperty("dashboards.dir", ".")).resolve("schema/package.json").toFile());
        String pinned = pkg.path("devDependencies").path("@grafana/schema").asText();
        assertThat(pinned).as("an exact version, not a range").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Files.readString(SCHEMAS.resolve("VERSION")).strip()).isEqualTo("@grafana/schema " + pinned);
        assertThat(schemaFile("dashboard.schema.json").path("$comment").asText()).startsWith("@grafana/schema " + pinned);
    }

    /** The validator is live: a dashboard with a misspelt panel key, or a stat panel's colour mode that does not exist, fails. */
    @Test
    void aMisspeltKeyAndAnUnknownEnumValueAreRefused() {
        GrafanaDashboard facility = GrafanaDashboard.all().stream().filter(d -> d.uid().equals("ss-school-facility"))
                .findFirst().orElseThrow();
        ObjectNode broken = facility.json().deepCopy();
        ObjectNode firstPanel = (ObjectNode) broken.path("panels").get(1);
        firstPanel.set("tagets", firstPanel.remove("targets"));
        assertThat(schema("dashboard.schema.json").validate(broken)).extracting(Error::getMessage)
                .anySatisfy(m -> assertThat(m).contains("tagets"));

        JsonNode stat = facility.panels().stream().filter(p -> p.type().equals("stat")).findFirst().orElseThrow().json();
        ObjectNode options = stat.path("options").deepCopy();
        options.put("colorMode", "rainbow");
        assertThat(schema("panel-stat.options.schema.json").validate(options)).isNotEmpty();
        assertThat(schema("panel-stat.options.schema.json").validate(stat.path("options"))).isEmpty();
    }

    @TestFactory
    Stream<DynamicNode> everyDashboardAndPanelMatchesGrafanasSchema() {
        return GrafanaDashboard.all().stream().map(d -> DynamicContainer.dynamicContainer(d.name(), Stream.concat(
                Stream.of(DynamicTest.dynamicTest("dashboard model", () ->
                        assertValid(schema("dashboard.schema.json"), d.json(), d.name()))),
                d.panels().stream().map(p -> DynamicTest.dynamicTest(p.type() + ": " + p.title(), () -> {
                    Path options = SCHEMAS.resolve("panel-" + p.type() + ".options.schema.json");
                    assertThat(options).as("schema of panel type " + p.type() + " (add it to schema/generate.mjs)").exists();
                    assertValid(schema(options.getFileName().toString()), p.json().path("options"), d.name() + " / " + p.title() + " options");
                    Path fieldConfig = SCHEMAS.resolve("panel-" + p.type() + ".fieldconfig.schema.json");
                    JsonNode custom = p.json().path("fieldConfig").path("defaults").path("custom");
                    if (Files.exists(fieldConfig) && !custom.isMissingNode()) {
                        assertValid(schema(fieldConfig.getFileName().toString()), custom, d.name() + " / " + p.title() + " field config");
                    }
                })))));
    }

    private static void assertValid(Schema schema, JsonNode instance, String what) {
        List<Error> errors = schema.validate(instance);
        assertThat(errors).as(what + " against Grafana's schema").isEmpty();
    }

    private static Schema schema(String file) {
        return LOADED.computeIfAbsent(file, f -> REGISTRY.getSchema(schemaFile(f)));
    }

    private static JsonNode schemaFile(String file) {
        Path path = SCHEMAS.resolve(file);
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("no Grafana schema " + path + ": the build makes it (npm ci, schema/generate.mjs)", e);
        }
    }
}
