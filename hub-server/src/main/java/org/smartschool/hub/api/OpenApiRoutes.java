package org.smartschool.hub.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/** {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.0 description of every route the hub serves. */
public final class OpenApiRoutes implements RouteGroup {
    public static final String RESOURCE = "org/smartschool/hub/api/openapi.yaml";

    private final Buffer document = ClasspathResource.read(RESOURCE);

    @Override
    public void mount(Router router) {
        router.get("/api/v1/openapi.yaml").handler(rc -> rc.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8")
                .end(document));
    }
}
