package org.smartschool.gateway.testsupport;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The real MQTT broker tests run against (Mosquitto; it speaks MQTT 3.1.1 and 5).
 *
 * <ol>
 * <li>{@code SS_TEST_MQTT_URL} when set (CI and developers start Mosquitto themselves);</li>
 * <li>else, when Docker runs, an {@code eclipse-mosquitto:2} container started once per JVM;</li>
 * <li>else the test is skipped with a message saying what to set, unless
 *     {@code SS_TEST_REQUIRE_SERVICES=1} (CI), where it fails: CI never skips silently.</li>
 * </ol>
 */
public final class TestBroker {
    public static final String URL_VARIABLE = "SS_TEST_MQTT_URL";
    public static final String REQUIRE_VARIABLE = "SS_TEST_REQUIRE_SERVICES";
    private static final int MQTT_PORT = 1883;
    /** As .ci/run configures its broker (set_tcp_nodelay as the school's broker has it). */
    private static final String MOSQUITTO_CONF = "listener 1883\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n";

    private static String containerUrl;

    private TestBroker() {
    }

    /** A {@code tcp://host:port} URL of a running broker, or the test is aborted (or failed in CI). */
    public static synchronized String mqttUrl() {
        return resolve(System.getenv(), TestBroker::containerUrl);
    }

    /** The lookup, apart from the process environment and Docker, so that it can be tested. */
    static String resolve(Map<String, String> env, Supplier<String> container) {
        String configured = env.get(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String started = container.get();
        if (started != null) {
            return started;
        }
        String message = "no MQTT broker for this test: set " + URL_VARIABLE
                + " (e.g. tcp://127.0.0.1:1883 of a running mosquitto) or run Docker";
        if ("1".equals(env.get(REQUIRE_VARIABLE))) {
            return Assertions.fail(message + " (" + REQUIRE_VARIABLE + "=1: services are required, not skipped)");
        }
        Assumptions.abort(message);
        return null; // not reached: abort throws
    }

    /** The URL of the Mosquitto container (started on first use), or null without Docker. */
    private static String containerUrl() {
        if (containerUrl == null && dockerAvailable()) {
            containerUrl = startContainer();
        }
        return containerUrl;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    private static String startContainer() {
        GenericContainer<?> mosquitto = new GenericContainer<>(DockerImageName.parse("eclipse-mosquitto:2"))
                .withCopyToContainer(Transferable.of(MOSQUITTO_CONF), "/mosquitto/config/mosquitto.conf")
                .withExposedPorts(MQTT_PORT)
                .waitingFor(Wait.forLogMessage(".*mosquitto version .* running.*", 1));
        mosquitto.start();
        return "tcp://" + mosquitto.getHost() + ":" + mosquitto.getMappedPort(MQTT_PORT);
    }
}
