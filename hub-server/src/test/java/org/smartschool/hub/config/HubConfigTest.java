package org.smartschool.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.config.ConfigException;

@Timeout(10)
class HubConfigTest {

    /** Verifies that the hub runs on defaults alone. */
    @Test
    void everyOptionHasADefault() {
        HubConfig config = HubConfig.load(null, Map.of());

        assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 8080));
        assertThat(config.mqtt()).isEqualTo(new MqttConfig("0.0.0.0", 1884, 1024 * 1024));
        assertThat(config.store().path()).isEqualTo("hub-store.db");
        assertThat(config.store().kind()).isEqualTo("sqlite");
        assertThat(config.store().influx()).isEqualTo(
                new InfluxConfig("http://127.0.0.1:8086", "smartschool", null, null, true, 10_000, 30_000));
        assertThat(config.gateways()).isEmpty();
        assertThat(config.state()).isEqualTo(new StateConfig("", "", "", 4));
        assertThat(config.state().resolve(Path.of("/var/lib/ss-hub/hub-store.db")).url())
                .isEqualTo("jdbc:sqlite:/var/lib/ss-hub/hub-state.db");
        assertThat(config.registry()).isEqualTo(new RegistryConfig("", ""));
    }

    /** Verifies that the state database and registry options are read from the file and the environment. */
    @Test
    void stateAndRegistryOptionsComeFromFileAndEnvironment() {
        HubConfig config = HubConfig.loadString("state:\n  url: jdbc:postgresql://127.0.0.1:5432/sshub\n  user: sshub\n"
                        + "registry:\n  inventory: /etc/ss-hub/inventory.yaml\n",
                Map.of("SS_HUB_STATE_PASSWORD", "pg-secret", "SS_HUB_REGISTRY_API_TOKEN", "token-0123456789abcdef",
                        "SS_HUB_STATE_MAX_POOL_SIZE", "8"));

        assertThat(config.state()).isEqualTo(new StateConfig("jdbc:postgresql://127.0.0.1:5432/sshub", "sshub", "pg-secret", 8));
        assertThat(config.state().usesPostgres()).isTrue();
        assertThat(config.registry()).isEqualTo(new RegistryConfig("/etc/ss-hub/inventory.yaml", "token-0123456789abcdef"));
        assertThat(config.toString()).doesNotContain("pg-secret").doesNotContain("token-0123456789abcdef");
    }

    /** Verifies that a state URL of another database, or a short API token, fails naming the key. */
    @Test
    void badStateUrlOrShortTokenFailsNamingTheKey() {
        assertThatThrownBy(() -> HubConfig.loadString("state:\n  url: jdbc:mysql://db/hub\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.url");
        assertThatThrownBy(() -> HubConfig.loadString("state:\n  url: 'jdbc:sqlite::memory:'\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.url");
        assertThatThrownBy(() -> HubConfig.loadString("registry:\n  apiToken: short\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("registry.apiToken");
    }

    /** Verifies that the commented example file is valid and means what its comments say. */
    @Test
    void exampleFileLoads() {
        HubConfig config = HubConfig.load(Path.of("config/hub.example.yaml"), Map.of());

        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.mqtt().maxMessageBytes()).isEqualTo(1_048_576);
        assertThat(config.store()).isEqualTo(StoreConfig.DEFAULT);
        assertThat(config.gateways()).hasSize(2);
        GatewayConfig first = config.gateways().get(0);
        assertThat(first.id()).isEqualTo("gw-thcs-nguyen-du");
        assertThat(first.school()).isEqualTo("thcs-nguyen-du");
        assertThat(first.schoolName()).isEqualTo("THCS Nguyễn Du");
        assertThat(first.desiredConfig()).containsEntry("version", 1).containsEntry("healthIntervalSeconds", 60);
        assertThat(config.gateways().get(1).desiredConfig()).isEmpty();
        assertThat(config.fleet()).isEqualTo(FleetConfig.DEFAULT);
        assertThat(config.alarms()).isEqualTo(AlarmsConfig.DEFAULT);
        assertThat(config.edfi().enabled()).isFalse();
        assertThat(config.edfi().terms()).extracting(EdfiConfig.Term::name).containsExactly("2026-2027 Học kỳ I", "2026-2027 Học kỳ II");
        assertThat(config.edfi().schools().get("thcs-nguyen-du").schoolId()).isEqualTo(255901001L);
        assertThat(config.edfi().schools().get("thcs-nguyen-du").sections().get("6a-chem"))
                .isEqualTo(new EdfiConfig.Section("HOA-6", "6A-HOA-1"));
        assertThat(config.edfi().schoolYearOf(config.edfi().schools().get("th-le-loi"))).isEqualTo(2027);
    }

    /** Verifies that the Ed-Fi connector is off by default, takes its credentials from the environment, and hides the secret. */
    @Test
    void edfiOptionsComeFromFileAndEnvironment() {
        assertThat(HubConfig.defaults().edfi()).isEqualTo(EdfiConfig.DEFAULT);
        assertThat(HubConfig.defaults().edfi().enabled()).isFalse();
        HubConfig config = HubConfig.loadString(EDFI_ON, Map.of("SS_HUB_EDFI_KEY", "hub-client", "SS_HUB_EDFI_SECRET", "s3cret-value"));

        assertThat(config.edfi().enabled()).isTrue();
        assertThat(config.edfi().key()).isEqualTo("hub-client");
        assertThat(config.edfi().secret()).isEqualTo("s3cret-value");
        assertThat(config.edfi().schools().get("s1").schoolId()).isEqualTo(255901001L);
        assertThat(config.toString()).doesNotContain("s3cret-value");
    }

    /** Verifies that a bad Ed-Fi option fails naming its key path. */
    @Test
    void badEdfiOptionFailsNamingItsKeyPath() {
        Map<String, String> credentials = Map.of("SS_HUB_EDFI_KEY", "k", "SS_HUB_EDFI_SECRET", "s");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("edfi.key and edfi.secret");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON.replace("schoolId: 255901001", "schoolId: 0"), credentials))
                .isInstanceOf(ConfigException.class).hasMessageContaining("edfi.schools.s1.schoolId");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON.replace("\"2027-01-17\"", "\"2027-13-01\""), credentials))
                .isInstanceOf(ConfigException.class).hasMessageContaining("edfi.terms[0].end");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON.replace("tokenUrl: http://127.0.0.1:9/oauth/token", "tokenUrl: ftp://x"),
                credentials)).isInstanceOf(ConfigException.class).hasMessageContaining("edfi.tokenUrl");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON.replace("sectionIdentifier: 6A-HOA-1", "sectionIdentifier: ''"),
                credentials)).isInstanceOf(ConfigException.class).hasMessageContaining("edfi.schools.s1.sections.6a-chem");
        assertThatThrownBy(() -> HubConfig.loadString(EDFI_ON.replace("schoolYear: 2027", "schoolYear: 0"), credentials))
                .isInstanceOf(ConfigException.class).hasMessageContaining("edfi.schools.s1.schoolYear");
    }

    private static final String EDFI_ON = """
            edfi:
              baseUrl: http://127.0.0.1:9/data/v3
              tokenUrl: http://127.0.0.1:9/oauth/token
              schoolYear: 2027
              terms:
                - name: "2026-2027 Semester 1"
                  begin: "2026-09-05"
                  end: "2027-01-17"
              schools:
                s1:
                  schoolId: 255901001
                  sections:
                    6a-chem: {localCourseCode: HOA-6, sectionIdentifier: 6A-HOA-1}
            """;

    /** Verifies that the alarm options come from the file and the environment, and a bad one names its key. */
    @Test
    void alarmOptionsComeFromFileAndEnvironment() {
        HubConfig config = HubConfig.loadString("alarms:\n  escalateAfterMinutes: 30\n",
                Map.of("SS_HUB_ALARMS_WEBHOOK_RETRY_HOURS", "48"));

        assertThat(config.alarms()).isEqualTo(new AlarmsConfig(30, 10, 48, 200));
        assertThat(HubConfig.defaults().alarms()).isEqualTo(new AlarmsConfig(15, 10, 24, 200));
        assertThatThrownBy(() -> HubConfig.loadString("alarms:\n  webhookTimeoutSeconds: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alarms.webhookTimeoutSeconds");
    }

    /**
     * Verifies that the hub rules' options come from the file and the environment, that the others keep their
     * defaults, and that a bad value or a hysteresis the wrong way round names the key's whole path.
     */
    @Test
    void hubRuleOptionsComeFromFileAndEnvironment() {
        HubConfig config = HubConfig.loadString("alarms:\n  hubRules:\n    backlogRaiseMinutes: 20\n"
                        + "    districtSchool: so-gd-hue\n",
                Map.of("SS_HUB_ALARMS_HUB_RULES_AUTH_FAILURE_LIMIT", "5"));
        HubRulesConfig rules = config.alarms().hubRules();
        assertThat(rules.backlogRaiseMinutes()).isEqualTo(20);
        assertThat(rules.districtSchool()).isEqualTo("so-gd-hue");
        assertThat(rules.authFailureLimit()).isEqualTo(5);
        assertThat(rules.completenessRaisePercent()).isEqualTo(HubRulesConfig.DEFAULT.completenessRaisePercent());
        assertThat(config.alarms().escalateAfterMinutes()).isEqualTo(15);
        assertThat(HubConfig.defaults().alarms().hubRules()).isEqualTo(HubRulesConfig.DEFAULT);

        assertThatThrownBy(() -> HubConfig.loadString("alarms:\n  hubRules:\n    authFailureLimit: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alarms.hubRules.authFailureLimit");
        assertThatThrownBy(() -> HubConfig.loadString("alarms:\n  hubRules:\n    completenessClearPercent: 70\n",
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("alarms.hubRules.completenessClearPercent must be above completenessRaisePercent");
        assertThatThrownBy(() -> HubConfig.loadString("alarms:\n  hubRules:\n    backlogClearMinutes: 15\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alarms.hubRules.backlogClearMinutes");
        assertThatThrownBy(() -> HubConfig.loadString("alarms:\n  hubRules:\n    districtSchool: 'a b'\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alarms.hubRules.districtSchool");
    }

    /** Verifies that the fleet options come from the file and the environment, and a bad one names its key. */
    @Test
    void fleetOptionsComeFromFileAndEnvironment() {
        HubConfig config = HubConfig.loadString("fleet:\n  gatewaySilentSeconds: 120\n  sensorSilentIntervals: 4\n",
                Map.of("SS_HUB_FLEET_CHECK_SECONDS", "5"));

        assertThat(config.fleet()).isEqualTo(new FleetConfig(5, 120, 4, 60, 180));
        assertThat(HubConfig.defaults().fleet()).isEqualTo(new FleetConfig(15, 90, 3, 60, 180));
        assertThatThrownBy(() -> HubConfig.loadString("fleet:\n  sensorSilentIntervals: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fleet.sensorSilentIntervals");
    }

    /** Verifies that a partial file keeps the defaults of what it leaves out, and the environment overrides both. */
    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() {
        HubConfig config = HubConfig.loadString("http:\n  port: 9090\nmqtt:\n  maxMessageBytes: 2048\n",
                Map.of("SS_HUB_HTTP_PORT", "9191", "SS_HUB_STORE_PATH", "/var/lib/ss-hub/hub.db"));

        assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 9191));
        assertThat(config.mqtt()).isEqualTo(new MqttConfig("0.0.0.0", 1884, 2048));
        assertThat(config.store().path()).isEqualTo("/var/lib/ss-hub/hub.db");
    }

    /** Verifies that a misspelt key stops the hub with the key's path. */
    @Test
    void unknownKeyFailsNamingItsPath() {
        assertThatThrownBy(() -> HubConfig.loadString("mqtt:\n  prot: 1885\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'mqtt.prot'").hasMessageContaining("unknown option");
        assertThatThrownBy(() -> HubConfig.loadString(
                "gateways:\n  - id: g1\n    school: s1\n    secret: x\n    secrett: y\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'gateways[0].secrett'");
    }

    /** Verifies that a gateway id listed twice is refused, naming the id. */
    @Test
    void duplicateGatewayIdFailsNamingTheId() {
        String yaml = """
                gateways:
                  - {id: gw-1, school: s1, secret: a}
                  - {id: gw-1, school: s2, secret: b}
                """;

        assertThatThrownBy(() -> HubConfig.loadString(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateways").hasMessageContaining("'gw-1' is listed twice");
    }

    /** Verifies that gateway entries are validated: a bad id, an empty secret. */
    @Test
    void badGatewayEntriesFailNamingTheProblem() {
        assertThatThrownBy(() -> HubConfig.loadString("gateways:\n  - {id: 'gw/1', school: s1, secret: a}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateways[0]").hasMessageContaining("invalid gateway id 'gw/1'");
        assertThatThrownBy(() -> HubConfig.loadString("gateways:\n  - {id: gw-1, school: s1, secret: ''}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway 'gw-1' has no secret");
    }

    /** Verifies that values out of range are refused naming the key. */
    @Test
    void outOfRangeValuesFailNamingTheKey() {
        assertThatThrownBy(() -> HubConfig.loadString("http:\n  port: 70000\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> HubConfig.load(null, Map.of("SS_HUB_MQTT_MAX_MESSAGE_BYTES", "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.maxMessageBytes")
                .hasMessageContaining("SS_HUB_MQTT_MAX_MESSAGE_BYTES");
        assertThatThrownBy(() -> HubConfig.loadString("mqtt:\n  maxMessageBytes: 2097152\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.maxMessageBytes")
                .hasMessageContaining("1048576");
    }

    /** Verifies that store.kind selects InfluxDB with its options, the environment overriding them (the password too). */
    @Test
    void influxStoreIsSelectedWithItsOptions() {
        HubConfig config = HubConfig.loadString("""
                store:
                  kind: influx
                  influx:
                    url: http://influx.district.local:8086
                    username: hub
                """, Map.of("SS_HUB_STORE_INFLUX_PASSWORD", "s3cret-token", "SS_HUB_STORE_INFLUX_DATABASE", "district7"));

        assertThat(config.store().kind()).isEqualTo(StoreConfig.INFLUX);
        assertThat(config.store().path()).isEqualTo("hub-store.db");
        assertThat(config.store().influx()).isEqualTo(new InfluxConfig("http://influx.district.local:8086", "district7",
                "hub", "s3cret-token", true, 10_000, 30_000));
        assertThat(config.toString()).contains("district7").doesNotContain("s3cret-token");
        assertThat(config.store().describe()).isEqualTo("InfluxDB http://influx.district.local:8086 database district7");
    }

    /** Verifies that a bad store option stops the hub naming the key. */
    @Test
    void badStoreOptionsFailNamingTheKey() {
        assertThatThrownBy(() -> HubConfig.loadString("store:\n  kind: postgres\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.kind").hasMessageContaining("sqlite or influx");
        assertThatThrownBy(() -> HubConfig.load(null, Map.of("SS_HUB_STORE_INFLUX_URL", "influx:8086")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.influx.url");
        assertThatThrownBy(() -> HubConfig.loadString("store:\n  influx:\n    database: \"my db\"\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.influx.database");
        assertThatThrownBy(() -> HubConfig.loadString("store:\n  influx:\n    password: x\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.influx.password");
    }

    /** Verifies that a gateway's secret never appears when a configuration is printed. */
    @Test
    void secretIsNotPrinted() {
        HubConfig config = HubConfig.loadString("gateways:\n  - {id: gw-1, school: s1, secret: hunter2-secret}\n", Map.of());

        assertThat(config.toString()).contains("gw-1").doesNotContain("hunter2-secret");
    }

    /** Verifies that the endpoint's load options load from YAML and the environment, nested keys included. */
    @Test
    void loadsEndpointLoadOptionsFromFileAndEnvironment() {
        HubConfig config = HubConfig.loadString("""
                http:
                  readThreads: 3
                mqtt:
                  receiveMaximum: 8
                  decodeThreads: 1
                  rateLimit:
                    readingsPerSecond: 1000
                  takeover:
                    limit: 4
                """, Map.of("SS_HUB_MQTT_STORE_THREADS", "6", "SS_HUB_MQTT_RATE_LIMIT_BURST_READINGS", "5000"));

        assertThat(config.http().readThreads()).isEqualTo(3);
        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.mqtt().receiveMaximum()).isEqualTo(8);
        assertThat(config.mqtt().decodeThreads()).isEqualTo(1);
        assertThat(config.mqtt().storeThreads()).isEqualTo(6);
        assertThat(config.mqtt().rateLimit()).isEqualTo(new RateLimitConfig(1000, 5000, 2000));
        assertThat(config.mqtt().takeover()).isEqualTo(new TakeoverConfig(4, 60, 300));
        assertThat(config.mqtt().tls().enabled()).isFalse();
        assertThat(config.mqtt().maxPacketBytes()).isEqualTo(2 * 1024 * 1024 + 64 * 1024);
    }

    /** Verifies that bad load and TLS options stop the hub naming the key. */
    @Test
    void badEndpointOptionsFailNamingTheKey() {
        assertThatThrownBy(() -> HubConfig.loadString("mqtt:\n  receiveMaximum: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.receiveMaximum");
        assertThatThrownBy(() -> HubConfig.loadString("mqtt:\n  rateLimit:\n    readingsPerSecond: -1\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.rateLimit.readingsPerSecond");
        assertThatThrownBy(() -> HubConfig.loadString("mqtt:\n  tls:\n    certFile: /etc/hub/cert.pem\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.tls.keyFile is required");
        assertThatThrownBy(() -> HubConfig.loadString(
                "mqtt:\n  tls:\n    certFile: /no/such/cert.pem\n    keyFile: /no/such/key.pem\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.tls.certFile: cannot read /no/such/cert.pem");
        assertThatThrownBy(() -> HubConfig.loadString("http:\n  readThreads: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.readThreads");
    }

    /** Verifies the scoped-access options: defaults, the bootstrap password from the environment, and bad values named. */
    @Test
    void authOptionsTakeTheEnvironmentAndNameABadKey() {
        assertThat(HubConfig.defaults().auth()).isEqualTo(AuthConfig.DEFAULT);
        HubConfig config = HubConfig.loadString("auth:\n  bootstrapAdmin: root\n",
                Map.of("SS_HUB_AUTH_BOOTSTRAP_PASSWORD", "from the environment"));
        assertThat(config.auth()).isEqualTo(new AuthConfig("root", "from the environment", 8));
        assertThat(config.auth().toString()).doesNotContain("from the environment");
        assertThatThrownBy(() -> HubConfig.loadString("auth:\n  sessionHours: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.sessionHours");
        assertThatThrownBy(() -> HubConfig.loadString("auth:\n  bootstrapAdmin: Root Admin\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.bootstrapAdmin");
        assertThatThrownBy(() -> HubConfig.loadString("auth:\n  bootstrapAdmin: root\n  bootstrapPassword: short\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.bootstrapPassword");
    }

    /**
     * Verifies that a misspelt SS_HUB_* variable stops the hub as an unknown key does (it was ignored in silence),
     * with the nearest option named, while the users command's password variable and every SS_HUB_* name the
     * documentation and deploy files use are accepted.
     */
    @Test
    void aMisspeltVariableIsRefusedAndEveryDocumentedOneAccepted() throws Exception {
        assertThatThrownBy(() -> HubConfig.loadString("", Map.of("SS_HUB_STATE_PASWORD", "secret", "SS_HUB_COLOUR", "blue")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable SS_HUB_COLOUR is not an option of the hub; also unknown: SS_HUB_STATE_PASWORD. ");
        assertThatThrownBy(() -> HubConfig.loadString("", Map.of("SS_HUB_STATE_PASWORD", "secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable SS_HUB_STATE_PASWORD is not an option of the hub (did you mean SS_HUB_STATE_PASSWORD?)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThat(HubConfig.loadString("", Map.of("SS_HUB_NEW_USER_PASSWORD", "for users add", "SS_HUB_HTTP_PORT", "9090"))
                .http().port()).isEqualTo(9090);

        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("SS_HUB_[A-Z0-9_]*+(?![*<])"); // not a family: SS_HUB_EDFI_*, SS_HUB_<KEY>
        for (Path root : java.util.List.of(Path.of("..", "README.md"), Path.of("..", "deploy"), Path.of("..", "docs"), Path.of("config"))) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
                for (Path file : files.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.toString().contains("node_modules")).toList()) {
                    java.util.regex.Matcher m = name.matcher(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        if (!m.group().endsWith("_")) {
                            documented.add(m.group());
                        }
                    }
                }
            }
        }
        documented.remove("SS_HUB_STATE_PASWORD"); // deploy/check.sh's own misspelling, to prove its check refuses it
        assertThat(documented).as("SS_HUB_* names in README, deploy/, docs/ and config/").hasSizeGreaterThan(10);
        java.util.Set<String> known = new java.util.TreeSet<>(new org.smartschool.bridge.config.YamlConfigLoader<>(HubConfig.class,
                HubConfig::defaults, HubConfig.ENV_PREFIX, "the hub", HubConfig.READ_ELSEWHERE).knownVariables());
        known.addAll(HubConfig.READ_ELSEWHERE);
        assertThat(known).containsAll(documented);
    }
}
