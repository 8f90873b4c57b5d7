package org.smartschool.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.gateway.support.Poll;

/**
 * The school broker's configuration in {@code deploy/raspberry-pi/mosquitto/} works as its comments
 * say, on a real Mosquitto started with it ({@code mosquitto -c}; only the port and the paths of the
 * password and ACL files are changed): devices need their own credentials, each publishes only
 * under its own topics, the gateway reads everything.
 */
@Timeout(60)
class SchoolBrokerConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Process mosquitto;
    private String url;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startMosquittoWithTheSchoolConfiguration() throws Exception {
        requireTool("mosquitto");
        requireTool("mosquitto_passwd");
        Path source = repoRoot().resolve("deploy/raspberry-pi/mosquitto");
        // Mosquitto started as root drops to its own user, which must read the files
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path acl = Files.copy(source.resolve("smartschool.acl"), dir.resolve("smartschool.acl"));
        Path passwd = dir.resolve("smartschool.passwd");
        passwd(passwd, "-c", "ss-gateway", "gateway-secret");
        passwd(passwd, null, "zigbee2mqtt", "z2m-secret");
        passwd(passwd, null, "dev-r101", "r101-secret");
        passwd(passwd, null, "dev-r102", "r102-secret");
        for (Path file : List.of(acl, passwd)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        int port = freePort();
        String conf = Files.readString(source.resolve("smartschool.conf"), StandardCharsets.UTF_8);
        String rewritten = replaceOnce(conf, "\nlistener 1883\n", "\nlistener " + port + " 127.0.0.1\n");
        rewritten = replaceOnce(rewritten, "/etc/mosquitto/smartschool.passwd", passwd.toString());
        rewritten = replaceOnce(rewritten, "/etc/mosquitto/smartschool.acl", acl.toString());
        Path confFile = Files.writeString(dir.resolve("mosquitto.conf"), rewritten);
        Files.setPosixFilePermissions(confFile, PosixFilePermissions.fromString("rw-r--r--"));
        mosquitto = new ProcessBuilder("mosquitto", "-v", "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        url = "tcp://127.0.0.1:" + port;
        Poll.until(WAIT, "mosquitto listening on " + port, () -> {
            if (!mosquitto.isAlive()) {
                throw new AssertionError("mosquitto exited (" + mosquitto.exitValue() + "): " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            } catch (MqttException ignored) {
                // the broker goes next
            }
        }
        if (mosquitto != null) {
            mosquitto.destroy();
            if (!mosquitto.waitFor(10, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Verifies the ACL: own topics get through to the gateway, another device's topics do not. */
    @Test
    void aDevicePublishesOnlyUnderItsOwnTopicsAndTheGatewayReadsThemAll() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient gateway = connect("ss-gateway", "gateway-secret");
        gateway.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                seen.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        gateway.subscribe("#", 1);

        MqttClient r101 = connect("dev-r101", "r101-secret");
        publish(r101, "devices/dev-r101/co2", "600");
        publish(r101, "devices/dev-r102/co2", "666"); // another device's topic
        publish(r101, "tele/dev-r101/SENSOR", "{\"co2\":601}");
        publish(r101, "dev-r102/sensor/co2/state", "667"); // ESPHome prefix of another device
        publish(r101, "zigbee2mqtt/r102/air", "{\"co2\":668}"); // the Zigbee bridge's topics
        MqttClient z2m = connect("zigbee2mqtt", "z2m-secret");
        publish(z2m, "zigbee2mqtt/r101/air", "{\"co2\":602}");
        publish(z2m, "devices/dev-r101/co2", "669"); // the bridge is not device dev-r101
        // the last message of each sender: once they arrived, everything published before has been decided
        publish(r101, "dev-r101/status", "online");
        publish(z2m, "zigbee2mqtt/bridge/state", "online");

        Poll.until(WAIT, "both last messages at the gateway", () -> seen.contains("dev-r101/status online")
                && seen.contains("zigbee2mqtt/bridge/state online"));
        assertThat(seen).containsExactlyInAnyOrder(
                "devices/dev-r101/co2 600",
                "tele/dev-r101/SENSOR {\"co2\":601}",
                "zigbee2mqtt/r101/air {\"co2\":602}",
                "dev-r101/status online",
                "zigbee2mqtt/bridge/state online");
        assertThat(log()).contains("Denied PUBLISH").contains("devices/dev-r102/co2").contains("dev-r102/sensor/co2/state");
    }

    /** Verifies that nobody gets in without credentials of their own. */
    @Test
    void anonymousClientsAndWrongPasswordsAreRefused() throws Exception {
        assertThatThrownBy(() -> connect(null, null)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> connect("dev-r101", "r102-secret")).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> connect("dev-r999", "r101-secret")).isInstanceOf(MqttSecurityException.class);
        assertThat(connect("dev-r102", "r102-secret").isConnected()).isTrue(); // the path is live
    }

    private MqttClient connect(String user, String password) throws MqttException {
        MqttClient client = new MqttClient(url, "acl-test-" + (user == null ? "anonymous" : user) + "-" + System.nanoTime(),
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(5);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        clients.add(client);
        return client;
    }

    private static void publish(MqttClient client, String topic, String payload) throws MqttException {
        // QoS 1: the broker answers PUBACK even for a PUBLISH its ACL refuses (MQTT 3.1.1 has no way to say no)
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static void passwd(Path file, String create, String user, String password) throws Exception {
        List<String> command = create == null
                ? List.of("mosquitto_passwd", "-b", file.toString(), user, password)
                : List.of("mosquitto_passwd", create, "-b", file.toString(), user, password);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("mosquitto_passwd %s: %s", user, output).isZero();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        assertThat(at).as("the configuration contains '%s'", what.strip()).isNotNegative();
        assertThat(text.indexOf(what, at + 1)).as("'%s' once", what.strip()).isNegative();
        return text.replace(what, with);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/raspberry-pi/mosquitto"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("deploy/raspberry-pi/mosquitto above the working directory").isNotNull();
        return dir;
    }

    /** Mosquitto's binaries are a test dependency like the broker itself: CI installs them. */
    private static void requireTool(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
                return;
            }
        }
        String message = name + " is not installed (Debian: apt-get install mosquitto)";
        if ("1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"))) {
            Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
        }
        Assumptions.abort(message);
    }
}
