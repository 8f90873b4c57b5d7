package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/** The OpenAPI document served by the hub describes what the hub serves. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenApiDocumentTest {

    /** Verifies that every route the router serves, with its method, is a path operation of the served document. */
    @Test
    void everyServedRouteIsDescribed(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try {
            Http.Response response = new Http(hub.httpPort()).get("/api/v1/openapi.yaml");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/yaml");
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(response.body());

            assertThat(doc.path("openapi").asText()).startsWith("3.0.");
            assertThat(doc.path("info").path("title").asText()).isNotBlank();
            assertThat(hub.httpRoutes()).hasSizeGreaterThanOrEqualTo(6);
            for (String route : hub.httpRoutes()) {
                String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
                // Vert.x writes path parameters as :name, OpenAPI as {name}
                String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([A-Za-z0-9_]+)", "{$1}");
                assertThat(method).as(route).isNotEqualTo("*");
                assertThat(doc.path("paths").path(path).path(method).path("responses").isObject())
                        .as("%s is described with its responses", route).isTrue();
            }
        } finally {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that every $ref in the document points at a schema it defines. */
    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc;
        try (var in = getClass().getClassLoader().getResourceAsStream("org/smartschool/hub/api/openapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        java.util.List<String> refs = new java.util.ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/");
            String[] parts = ref.substring("#/components/".length()).split("/");
            assertThat(parts).as(ref).hasSize(2);
            assertThat(doc.path("components").path(parts[0]).has(parts[1])).as(ref).isTrue();
        }
    }

    private static void collectRefs(JsonNode node, java.util.List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
