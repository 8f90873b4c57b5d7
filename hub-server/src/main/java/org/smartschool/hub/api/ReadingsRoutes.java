package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;
import org.smartschool.hub.store.StoredReading;

/**
 * {@code GET /api/v1/readings?school=S&room=R&quantity=co2&from=ISO&to=ISO[&device=D][&limit=N][&step=15m&agg=mean]}:
 * the readings of one quantity in one room, oldest first, or with {@code step} their aggregated series,
 * computed by the store (parameters: {@link ReadingsRequest}).
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
        Optional<SeriesQuery> aggregated;
        try {
            query = ReadingsRequest.parse(rc.queryParams()::get, clock);
            aggregated = ReadingsRequest.series(rc.queryParams()::get, query);
        } catch (BadParameterException e) {
            metrics.httpBadRequest();
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        if (aggregated.isPresent()) {
            series(rc, aggregated.get());
            return;
        }
        // one more than asked tells whether the answer was cut at the limit
        ReadingQuery probe = new ReadingQuery(query.school(), query.room(), query.quantity(), query.device(),
                query.fromMillis(), query.toMillis(), query.limit() + 1);
        worker.executeBlocking(() -> store.readings(probe), false)
                .onSuccess(rows -> Responses.json(rc, 200, body(query, rows)))
                .onFailure(rc::fail);
    }

    private void series(RoutingContext rc, SeriesQuery query) {
        ReadingQuery window = query.readings();
        // one more than asked tells whether the answer was cut at the limit
        SeriesQuery probe = new SeriesQuery(new ReadingQuery(window.school(), window.room(), window.quantity(),
                window.device(), window.fromMillis(), window.toMillis(), window.limit() + 1), query.step(), query.aggregation());
        worker.executeBlocking(() -> store.series(probe), false)
                .onSuccess(points -> Responses.json(rc, 200, seriesBody(query, points)))
                .onFailure(rc::fail);
    }

    private static JsonObject seriesBody(SeriesQuery query, List<SeriesPoint> points) {
        ReadingQuery window = query.readings();
        JsonArray series = new JsonArray();
        points.stream().limit(window.limit()).forEach(p -> series.add(new JsonObject()
                .put("time", Instant.ofEpochMilli(p.timestamp()).toString())
                .put("timestamp", p.timestamp())
                .put("value", p.value())));
        return header(window)
                .put("step", query.step().toString())
                .put("agg", query.aggregation().id())
                .put("truncated", points.size() > window.limit())
                .put("series", series);
    }

    private static JsonObject header(ReadingQuery query) {
        JsonObject body = new JsonObject()
                .put("school", query.school())
                .put("room", query.room())
                .put("quantity", query.quantity().id())
                .put("unit", query.quantity().unit());
        query.device().ifPresent(d -> body.put("device", d));
        return body
                .put("from", Instant.ofEpochMilli(query.fromMillis()).toString())
                .put("to", Instant.ofEpochMilli(query.toMillis()).toString());
    }

    private static JsonObject body(ReadingQuery query, List<StoredReading> rows) {
        JsonArray readings = new JsonArray();
        rows.stream().limit(query.limit()).forEach(r -> readings.add(new JsonObject()
                .put("device", r.device())
                .put("time", Instant.ofEpochMilli(r.timestamp()).toString())
                .put("timestamp", r.timestamp())
                .put("value", r.value())));
        return header(query)
                .put("truncated", rows.size() > query.limit())
                .put("readings", readings);
    }
}
