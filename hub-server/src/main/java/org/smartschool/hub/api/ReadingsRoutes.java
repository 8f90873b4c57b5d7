package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.StoredReading;

/**
 * {@code GET /api/v1/readings?school=S&room=R&quantity=co2&from=ISO&to=ISO[&device=D][&limit=N]}:
 * the readings of one quantity in one room, oldest first (parameters: {@link ReadingsRequest}).
 */
public final class ReadingsRoutes implements RouteGroup {
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final Clock clock;

    public ReadingsRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, Clock clock) {
        this.store = store;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/readings").handler(this::readings);
    }

    private void readings(RoutingContext rc) {
        ReadingQuery query;
        try {
            query = ReadingsRequest.parse(rc.queryParams()::get, clock);
        } catch (BadParameterException e) {
            metrics.httpBadRequest();
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        // one more than asked tells whether the answer was cut at the limit
        ReadingQuery probe = new ReadingQuery(query.school(), query.room(), query.quantity(), query.device(),
                query.fromMillis(), query.toMillis(), query.limit() + 1);
        worker.executeBlocking(() -> store.readings(probe), false)
                .onSuccess(rows -> Responses.json(rc, 200, body(query, rows)))
                .onFailure(rc::fail);
    }

    private static JsonObject body(ReadingQuery query, List<StoredReading> rows) {
        JsonArray readings = new JsonArray();
        rows.stream().limit(query.limit()).forEach(r -> readings.add(new JsonObject()
                .put("device", r.device())
                .put("time", Instant.ofEpochMilli(r.timestamp()).toString())
                .put("timestamp", r.timestamp())
                .put("value", r.value())));
        JsonObject body = new JsonObject()
                .put("school", query.school())
                .put("room", query.room())
                .put("quantity", query.quantity().id())
                .put("unit", query.quantity().unit());
        query.device().ifPresent(d -> body.put("device", d));
        return body
                .put("from", Instant.ofEpochMilli(query.fromMillis()).toString())
                .put("to", Instant.ofEpochMilli(query.toMillis()).toString())
                .put("truncated", rows.size() > query.limit())
                .put("readings", readings);
    }
}
