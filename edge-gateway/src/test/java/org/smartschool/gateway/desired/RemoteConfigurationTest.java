package org.smartschool.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.gateway.desired.DesiredConfigParserTest.bytes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.uplink.DesiredConfigStore;

class RemoteConfigurationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String V5 = "{\"version\":5,\"south\":{\"routes\":[{\"pattern\":\"a/{room}/{device}\",\"codec\":\"test-json\"}]}}";
    private static final String V6_BAD = "{\"version\":6,\"south\":{\"routes\":[{\"pattern\":\"b/{room}/{device}\",\"codec\":\"nope\"}]}}";
    private static final String V7 = "{\"version\":7,\"south\":{\"routes\":[{\"pattern\":\"c/{room}/{device}\",\"codec\":\"test-json\"}]}}";

    @TempDir
    Path dir;
    private final List<DesiredConfig> applied = new CopyOnWriteArrayList<>();
    private RemoteConfiguration remote;

    @AfterEach
    void tearDown() {
        if (remote != null) {
            remote.close();
        }
    }

    private RemoteConfiguration open() {
        if (remote != null) {
            remote.close();
        }
        remote = new RemoteConfiguration(DesiredConfigStore.nextTo(dir.resolve("outbox.db")),
                new DesiredConfigParser("school-1", new CodecRegistry(List.of(new TestJsonCodec()))), "gw-1");
        remote.applyWith(applied::add);
        return remote;
    }

    @Test
    void appliesAValidConfigurationAndKeepsItOnDisk() throws Exception {
        open();
        assertThat(remote.restore()).isEmpty();
        assertThat(remote.version()).isEmpty();

        remote.receive(bytes(V5));

        Poll.until(WAIT, "version 5 applied", () -> remote.version().orElse(-1) == 5);
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0).routes()).hasValue(List.of(new TopicRoute("a/{room}/{device}", "test-json")));
        assertThat(remote.refusal()).isNull();
        assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(V5);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("outbox.desired-config.json");
        }
    }

    @Test
    void anInvalidConfigurationNeverReplacesTheWorkingOne() throws Exception {
        open();
        remote.receive(bytes(V5));
        remote.receive(bytes(V6_BAD));

        Poll.until(WAIT, "version 6 refused", () -> remote.refusal() != null);
        assertThat(remote.refusal())
                .isEqualTo("version 6: south.routes[0].codec: unknown codec 'nope': known codecs are [test-json]");
        assertThat(remote.version()).hasValue(5);
        assertThat(applied).extracting(DesiredConfig::version).containsExactly(5L);
        assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(V5);

        remote.receive(bytes(V7)); // the next good one clears the refusal
        Poll.until(WAIT, "version 7 applied", () -> remote.version().orElse(-1) == 7);
        assertThat(remote.refusal()).isNull();
        assertThat(applied).extracting(DesiredConfig::version).containsExactly(5L, 7L);
    }

    @Test
    void aVersionNotAboveTheAppliedOneIsIgnored() throws Exception {
        open();
        remote.receive(bytes(V7));
        remote.receive(bytes(V5)); // an old retained message replayed
        remote.receive(bytes(V7)); // the same again after a reconnect
        remote.receive(bytes("{\"version\":3,\"south\":{\"routes\":7}}")); // old and invalid: not even reported
        String v8 = "{\"version\":8}";
        remote.receive(bytes(v8)); // in order after the others: once applied, they were all handled

        Poll.until(WAIT, "version 8 applied", () -> remote.version().orElse(-1) == 8);
        assertThat(applied).extracting(DesiredConfig::version).containsExactly(7L, 8L);
        assertThat(remote.refusal()).isNull();
        assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(v8);
    }

    @Test
    void afterARestartItStartsOnTheLastAppliedVersion() throws Exception {
        open();
        remote.receive(bytes(V5));
        remote.receive(bytes(V6_BAD));
        Poll.until(WAIT, "version 6 refused", () -> remote.refusal() != null);

        open(); // a reboot without the hub
        var restored = remote.restore();

        assertThat(restored).hasValueSatisfying(c -> {
            assertThat(c.version()).isEqualTo(5);
            assertThat(c.routes()).hasValue(List.of(new TopicRoute("a/{room}/{device}", "test-json")));
        });
        assertThat(remote.version()).hasValue(5);
        assertThat(remote.refusal()).isNull();
        remote.receive(bytes(V5)); // the hub's retained copy, once it is back
        remote.receive(bytes(V7));
        Poll.until(WAIT, "version 7 applied", () -> remote.version().orElse(-1) == 7);
        assertThat(applied).extracting(DesiredConfig::version).containsExactly(5L, 7L);
    }

    @Test
    void aStoredFileThatNoLongerValidatesIsReportedAndLeftOut() throws Exception {
        Files.writeString(dir.resolve("outbox.desired-config.json"), V6_BAD);
        open();

        assertThat(remote.restore()).isEmpty();
        assertThat(remote.version()).isEmpty();
        assertThat(remote.refusal()).isEqualTo(
                "stored version 6: south.routes[0].codec: unknown codec 'nope': known codecs are [test-json]");

        remote.receive(bytes(V5)); // any valid version replaces it
        Poll.until(WAIT, "version 5 applied", () -> remote.version().orElse(-1) == 5);
        assertThat(remote.refusal()).isNull();
    }
}
