package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestPostgres;

/** {@code /health} for load balancers: UP only when the time-series store, the hub state and the state database answer. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubHealthTest {
    @TempDir
    Path dir;

    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that a time-series store that does not answer makes /health 503 naming it, and UP again after. */
    @Test
    void downWhileTheTimeSeriesStoreDoesNotAnswer(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        ControllableStore store = new ControllableStore(HubFixture.openStore(config));
        hub = HubFixture.start(vertx, config, store);
        Http http = new Http(hub.httpPort()); // /health is open

        Http.Response up = http.get("/health");
        store.down(true);
        Http.Response down = http.get("/health");
        store.down(false);
        Http.Response upAgain = http.get("/health");

        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().getString("status")).isEqualTo("UP");
        assertThat(up.json().getJsonObject("parts").getMap()).containsOnlyKeys("timeSeriesStore", "hubState", "stateDatabase")
                .allSatisfy((part, state) -> assertThat(state).isEqualTo("UP"));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().getString("status")).isEqualTo("DOWN");
        assertThat(down.json().getJsonArray("down").getList()).containsExactly("timeSeriesStore");
        assertThat(down.json().getJsonObject("parts").getString("timeSeriesStore"))
                .isEqualTo("DOWN: store down (injected by the test)");
        assertThat(down.json().getJsonObject("parts").getString("stateDatabase")).isEqualTo("UP");
        assertThat(upAgain.status()).isEqualTo(200);
    }

    /**
     * Verifies that a state database (PostgreSQL) that is gone makes /health 503 naming the state database and the
     * hub state (batch ids) it holds, while the time series stay UP.
     */
    @Test
    void downWhenTheStateDatabaseIsGone(Vertx vertx) throws Exception {
        TestPostgres postgres = TestPostgres.create("health");
        try {
            hub = HubFixture.start(vertx, HubFixture.config(dir).withState(new StateConfig(postgres.url(), "", "", 2)));
            Http http = new Http(hub.httpPort()); // /health is open
            assertThat(http.get("/health").status()).isEqualTo(200);
        } finally {
            // drops the database WITH (FORCE): the pool's connections end and no new one can be made
            postgres.close();
        }
        Http.Response down = new Http(hub.httpPort()).get("/health"); // open: no credential, no state database needed

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().getJsonArray("down").getList()).containsExactly("hubState", "stateDatabase");
        assertThat(down.json().getJsonObject("parts").getString("timeSeriesStore")).isEqualTo("UP");
        assertThat(down.json().getJsonObject("parts").getString("hubState")).startsWith("DOWN: ");
        assertThat(down.json().getJsonObject("parts").getString("stateDatabase")).startsWith("DOWN: ");
    }
}
