package org.smartschool.hub.api;

import java.time.Instant;

import io.vertx.core.json.JsonObject;
import org.smartschool.hub.store.LatestValue;

/** A latest value as the API writes it (schema {@code LatestValue}). */
final class LatestJson {
    private LatestJson() {
    }

    static JsonObject of(LatestValue v) {
        return new JsonObject()
                .put("quantity", v.quantity().id())
                .put("unit", v.quantity().unit())
                .put("value", v.value())
                .put("device", v.device())
                .put("time", Instant.ofEpochMilli(v.timestamp()).toString())
                .put("timestamp", v.timestamp());
    }
}
