package org.smartschool.hub.api;

import io.vertx.ext.web.Router;

/** One group of HTTP routes; each is described in {@code openapi.yaml}. */
public interface RouteGroup {
    void mount(Router router);
}
