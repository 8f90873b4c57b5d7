package org.smartschool.hub.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * {@code GET /}: the overview page for a facility manager; a static HTML file whose script reads
 * {@code /api/v1/schools} every 10 seconds.
 */
public final class PageRoutes implements RouteGroup {
    public static final String RESOURCE = "org/smartschool/hub/api/index.html";

    private final Buffer page = ClasspathResource.read(RESOURCE);

    @Override
    public void mount(Router router) {
        router.get("/").handler(rc -> rc.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(page));
    }
}
