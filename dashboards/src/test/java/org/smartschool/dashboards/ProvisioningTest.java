package org.smartschool.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.InfluxConfig;

/**
 * The provisioning files Grafana reads at start (no clicks): the data source the dashboards name, InfluxQL on the
 * database the hub writes by default, and a file provider; and the map's gazetteer, which must place exactly the
 * example inventory's schools at their registry coordinates.
 */
class ProvisioningTest {
    static final String DATASOURCE_UID = "smartschool-influxdb";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODULE = Path.of(System.getProperty("dashboards.dir", "."));

    @Test
    void theDataSourceIsInfluxQlOnTheHubsDatabaseUnderTheUidTheDashboardsUse() throws IOException {
        JsonNode file = YAML.readTree(MODULE.resolve("provisioning/datasources/smartschool-influxdb.yaml").toFile());
        assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(file.path("datasources")).hasSize(1);
        JsonNode ds = file.path("datasources").get(0);
        assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isEqualTo("influxdb");
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        assertThat(ds.path("jsonData").path("version").asText()).isEqualTo("InfluxQL");
        assertThat(ds.path("jsonData").path("dbName").asText()).isEqualTo(InfluxConfig.DEFAULT_DATABASE);
        assertThat(GrafanaInterpolation.parseDuration(ds.path("jsonData").path("timeInterval").asText()))
                .isEqualTo(GrafanaInterpolation.DATASOURCE_MIN_INTERVAL_MS);
        // no secret in the file: the password comes from Grafana's environment
        assertThat(ds.path("secureJsonData").path("password").asText()).startsWith("${");
    }

    @Test
    void theDashboardProviderLoadsTheFilesReadOnlyAndEveryDashboardHasItsOwnUid() throws IOException {
        JsonNode file = YAML.readTree(MODULE.resolve("provisioning/dashboards/smartschool.yaml").toFile());
        JsonNode provider = file.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("allowUiUpdates").asBoolean()).isFalse();
        assertThat(provider.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards/smart-school");
        Set<String> uids = new HashSet<>();
        for (GrafanaDashboard d : GrafanaDashboard.all()) {
            assertThat(d.uid()).as("uid of " + d.name()).matches("[a-z0-9-]{1,40}");
            assertThat(uids.add(d.uid())).as("uid " + d.uid() + " once").isTrue();
            // provisioned dashboards carry no database id of the Grafana they were exported from
            assertThat(d.json().has("id")).as(d.name() + " has no id").isFalse();
        }
    }

    @Test
    void theGazetteerPlacesTheInventorysSchoolsAtTheirRegistryCoordinates() throws IOException {
        JsonNode inventory = YAML.readTree(new File(System.getProperty("inventory.example",
                "../hub-server/config/inventory.example.yaml")));
        JsonNode gazetteer = JSON.readTree(MODULE.resolve("gazetteer/smartschool-schools.json").toFile());
        List<String> keys = new ArrayList<>();
        for (JsonNode place : gazetteer) {
            keys.add(place.path("key").asText());
        }
        List<String> schools = new ArrayList<>();
        for (JsonNode school : inventory.path("schools")) {
            schools.add(school.path("id").asText());
            JsonNode place = null;
            for (JsonNode p : gazetteer) {
                if (p.path("key").asText().equals(school.path("id").asText())) {
                    place = p;
                }
            }
            assertThat(place).as("gazetteer entry of " + school.path("id").asText()).isNotNull();
            assertThat(place.path("latitude").asDouble()).isEqualTo(school.path("location").path("latitude").asDouble());
            assertThat(place.path("longitude").asDouble()).isEqualTo(school.path("location").path("longitude").asDouble());
            assertThat(place.path("name").asText()).isEqualTo(school.path("name").asText());
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(schools);
        assertThat(schools).containsAll(SimulatedDistrict.SCHOOLS);
    }

    @Test
    void theMapLooksSchoolsUpInTheProvisionedGazetteer() {
        GrafanaDashboard overview = GrafanaDashboard.all().stream().filter(d -> d.uid().equals("ss-district-overview"))
                .findFirst().orElseThrow();
        JsonNode map = overview.panels().stream().filter(p -> p.type().equals("geomap")).findFirst().orElseThrow().json();
        JsonNode location = map.path("options").path("layers").get(0).path("location");
        assertThat(location.path("mode").asText()).isEqualTo("lookup");
        assertThat(location.path("lookup").asText()).isEqualTo("school");
        assertThat(location.path("gazetteer").asText()).isEqualTo("public/gazetteer/smartschool-schools.json");
    }
}
