package org.smartschool.hub.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The few ways the API answers. */
final class Responses {
    static final String JSON = "application/json; charset=utf-8";

    private Responses() {
    }

    static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }

    static void error(RoutingContext rc, int status, String message, String parameter) {
        JsonObject body = new JsonObject().put("error", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        json(rc, status, body);
    }
}
