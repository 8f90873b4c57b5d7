package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;
import org.smartschool.hub.testsupport.TestPostgres;

/** The hub loads its inventory into the state database at start, on SQLite and on PostgreSQL. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HubRegistryStartTest {
    private static final String ROOM = "/api/v1/registry/schools/school-01/rooms/";

    @TempDir
    Path dir;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that a bad inventory stops the start with the file, line and key, and that the store is released. */
    @Test
    void badInventoryStopsTheStartNamingFileLineAndKey(Vertx vertx) throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, Files.readString(Inventories.example()).replaceFirst("capacity: 44", "capacity: lots"));

        HubConfig config = HubFixture.config(dir).withRegistry(new RegistryConfig(file.toString(), ""));
        assertThatThrownBy(() -> HubFixture.start(vertx, config))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessage(file + ":29: schools[0].buildings[0].rooms[0].capacity: expected a whole number: lots");

        // the store's file is free again: a hub on the fixed file starts
        Files.writeString(file, Files.readString(Inventories.example()));
        hub = HubFixture.start(vertx, config);
        assertThat(Http.admin(hub).get(ROOM + "r101").status()).isEqualTo(200);
    }

    /** Verifies that a restart on the same file undoes API edits of what it names and keeps what it does not (SQLite). */
    @Test
    void restartOnTheSameInventoryKeepsApiAdditionsAndRestoresWhatTheFileNames(Vertx vertx) throws Exception {
        restartKeepsAdditionsAndRestoresFileValues(vertx, HubFixture.config(dir));
    }

    /** The same with the state in PostgreSQL ({@code SS_TEST_PG_URL}). */
    @Test
    void stateInPostgresqlWorksTheSame(Vertx vertx) throws Exception {
        try (TestPostgres postgres = TestPostgres.create("hubstart")) {
            restartKeepsAdditionsAndRestoresFileValues(vertx,
                    HubFixture.config(dir).withState(new StateConfig(postgres.url(), "", "", 2)));
        }
    }

    private void restartKeepsAdditionsAndRestoresFileValues(Vertx vertx, HubConfig base) throws Exception {
        HubConfig config = base.withRegistry(new RegistryConfig(Inventories.example().toString(), ""));
        hub = HubFixture.start(vertx, config);
        Http http = Http.admin(hub);
        assertThat(http.send("PUT", ROOM + "r101", "{\"kind\":\"classroom\",\"floor\":1,\"capacity\":12}").status()).isEqualTo(200);
        assertThat(http.send("PUT", ROOM + "r301", "{\"building\":\"bldg-2\",\"kind\":\"lab\",\"capacity\":30}").status()).isEqualTo(201);
        assertThat(http.get(ROOM + "r101").json().getInteger("capacity")).isEqualTo(12);
        HubFixture.await(hub.close());

        hub = HubFixture.start(vertx, config);
        http = Http.admin(hub);

        assertThat(http.get(ROOM + "r101").json().getInteger("capacity")).isEqualTo(44);
        assertThat(http.get(ROOM + "r101").json().getString("name")).isEqualTo("Lớp 6A1");
        assertThat(http.get(ROOM + "r301").json().getString("kind")).isEqualTo("lab");
        HubFixture.await(hub.close());
        hub = null;
    }
}
