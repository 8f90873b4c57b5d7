package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredConfigStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesTheLastConfigurationNextToTheOutboxAndRemembersItsVersion() throws Exception {
        Path file = DesiredConfigStore.nextTo(dir.resolve("gateway-outbox.db"));
        assertThat(file).isEqualTo(dir.resolve("gateway-outbox.desired-config.json"));
        DesiredConfigStore store = new DesiredConfigStore(file);
        assertThat(store.version()).isEmpty();

        assertThat(store.store(bytes("{\"version\":3,\"rules\":{}}"))).isEqualTo(3);
        assertThat(store.store(bytes("{\"version\":4}"))).isEqualTo(4);

        assertThat(Files.readString(file)).isEqualTo("{\"version\":4}");
        assertThat(new DesiredConfigStore(file).version()).hasValue(4);
    }

    @Test
    void refusesSomethingThatIsNotAVersionedJsonObject() throws Exception {
        DesiredConfigStore store = new DesiredConfigStore(dir.resolve("c.json"));
        store.store(bytes("{\"version\":1}"));

        assertThatThrownBy(() -> store.store(bytes("not json"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.store(bytes("{\"rules\":{}}")))
                .hasMessageContaining("integer \"version\"");

        assertThat(store.version()).hasValue(1);
        assertThat(Files.readString(dir.resolve("c.json"))).isEqualTo("{\"version\":1}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
