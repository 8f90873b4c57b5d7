package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/** The demo's --webhook subscribes through the hub's own API, once, and passes the API's refusal on. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoWebhookTest {

    @Test
    void subscribesEveryAlarmEventOnceAndPassesARefusalOn(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try {
            String base = "http://127.0.0.1:" + hub.httpPort() + "/";
            String secret = WebhookSecret.generate(new SecureRandom());
            String token = org.smartschool.hub.testsupport.TestAuth.adminToken(hub);
            DemoWebhook.subscribe(base, token, "http://127.0.0.1:9999/hooks", secret);
            DemoWebhook.subscribe(base, token, "http://127.0.0.1:9999/hooks", secret); // a kept --data-dir: already there

            JsonObject listed = Http.admin(hub).get("/api/v1/webhooks").json().getJsonArray("webhooks").getJsonObject(0);
            assertThat(listed.getString("id")).isEqualTo(DemoWebhook.ID);
            assertThat(listed.getString("url")).isEqualTo("http://127.0.0.1:9999/hooks");
            assertThat(listed.getJsonArray("events").getList()).containsExactly("alarm.*", "attendance.*");
            assertThat(listed.encode()).doesNotContain(secret);

            assertThatThrownBy(() -> DemoWebhook.subscribe(base, token, "ftp://example.org/hooks", secret))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http:// or https://");
        } finally {
            HubFixture.await(hub.close());
        }
    }
}
