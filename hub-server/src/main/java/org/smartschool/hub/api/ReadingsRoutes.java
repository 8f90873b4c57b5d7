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
import org.smartschool.hub.api.csv.CsvRows;
import org.smartschool.hub.api.csv.ReadingRows;
import org.smartschool.hub.api.csv.SeriesRows;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;
import org.smartschool.hub.store.StoredReading;

/**
 * {@code GET /api/v1/readings?school=S&room=R&quantity=co2&from=ISO&to=ISO[&device=D][&limit=N][&step=15m&agg=mean]}:
 * the readings of one quantity in one room, oldest first, or with {@code step} their aggregated series,
 * computed by the store (parameters: {@link ReadingsRequest}). JSON, or with {@code format=csv} or
 * {@code Accept: text/csv} a CSV export streamed page by page ({@link CsvResponse}). An unknown school or
 * room is 404; more than the default limit without {@code limit} is 400 telling how to narrow the query.
 */
public final class ReadingsRoutes implements RouteGroup {
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final Clock clock;
    private final KnownPlaces known;

    public ReadingsRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, Clock clock) {
        this(store, worker, metrics, clock, List.of());
    }

    /** @param gateways the configured gateways, whose schools are known before they report */
    public ReadingsRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, Clock clock,
                          List<GatewayConfig> gateways) {
        this(store, worker, metrics, clock, gateways, RegisteredPlaces.NONE);
    }

    /** @param registered the registry's schools and rooms, known before they report */
    public ReadingsRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, Clock clock,
                          List<GatewayConfig> gateways, RegisteredPlaces registered) {
        this.store = store;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
        this.known = new KnownPlaces(store, gateways, registered);
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/readings").handler(this::readings);
    }

    private void readings(RoutingContext rc) {
        ReadingQuery query;
        Optional<SeriesQuery> aggregated;
        boolean csv;
        try {
            query = ReadingsRequest.parse(rc.queryParams()::get, clock);
            aggregated = ReadingsRequest.series(rc.queryParams()::get, query);
            csv = ReadingsRequest.wantsCsv(rc.queryParams().get("format"), rc.request().getHeader("Accept"));
        } catch (BadParameterException e) {
            metrics.httpBadRequest();
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        boolean limitGiven = rc.queryParams().get("limit") != null;
        if (csv) {
            csv(rc, query, aggregated, limitGiven);
        } else if (aggregated.isPresent()) {
            series(rc, aggregated.get(), limitGiven);
        } else {
            // one more than asked tells whether the answer was cut at the limit
            ReadingQuery probe = withLimit(query, query.limit() + 1);
            worker.executeBlocking(() -> store.readings(probe), false).onSuccess(rows -> {
                if (rows.size() > query.limit() && !limitGiven) {
                    tooMany(rc, "readings", query.limit());
                } else if (rows.isEmpty()) {
                    answerEmpty(rc, query, () -> Responses.json(rc, 200, body(query, rows)));
                } else {
                    Responses.json(rc, 200, body(query, rows));
                }
            }).onFailure(rc::fail);
        }
    }

    /**
     * More than the default limit and no {@code limit} asked for: 400, so that a caller never takes a cut
     * answer for the whole window without knowing ({@code limit} given: cut and {@code truncated}, as asked).
     */
    private void tooMany(RoutingContext rc, String what, int limit) {
        metrics.httpBadRequest();
        Responses.json(rc, 400, new JsonObject()
                .put("error", "the window holds more than " + limit + " " + what + ": narrow it (a shorter from/to, or step=15m"
                        + " for an aggregated series), give limit (at most " + ReadingsRequest.MAX_LIMIT
                        + ") to take the first ones, or ask for CSV (format=csv), which streams them all")
                .put("parameter", "step")
                .put("limit", limit));
    }

    /** An empty answer is 404 when the school or room is unknown, else {@code empty}. */
    private void answerEmpty(RoutingContext rc, ReadingQuery query, Runnable empty) {
        worker.executeBlocking(() -> Optional.ofNullable(known.unknown(query.school(), query.room())), false)
                .onSuccess(unknown -> {
                    if (unknown.isPresent()) {
                        Responses.error(rc, 404, unknown.get(), null);
                    } else {
                        empty.run();
                    }
                }).onFailure(rc::fail);
    }

    private static ReadingQuery withLimit(ReadingQuery query, int limit) {
        return new ReadingQuery(query.school(), query.room(), query.quantity(), query.device(),
                query.fromMillis(), query.toMillis(), limit);
    }

    private void series(RoutingContext rc, SeriesQuery query, boolean limitGiven) {
        ReadingQuery window = query.readings();
        // one more than asked tells whether the answer was cut at the limit
        SeriesQuery probe = new SeriesQuery(withLimit(window, window.limit() + 1), query.step(), query.aggregation());
        worker.executeBlocking(() -> store.series(probe), false).onSuccess(points -> {
            if (points.size() > window.limit() && !limitGiven) {
                tooMany(rc, "steps", window.limit());
            } else if (points.isEmpty()) {
                answerEmpty(rc, window, () -> Responses.json(rc, 200, seriesBody(query, points)));
            } else {
                Responses.json(rc, 200, seriesBody(query, points));
            }
        }).onFailure(rc::fail);
    }

    /** Streamed: every reading (or step) of the window, or the first {@code limit} when it is given. */
    private void csv(RoutingContext rc, ReadingQuery query, Optional<SeriesQuery> aggregated, boolean limitGiven) {
        ReadingQuery window = limitGiven ? query : withLimit(query, Integer.MAX_VALUE);
        CsvRows rows = aggregated
                .<CsvRows>map(a -> new SeriesRows(store, new SeriesQuery(window, a.step(), a.aggregation())))
                .orElseGet(() -> new ReadingRows(store, window));
        String filename = query.school() + "_" + query.room() + "_" + query.quantity().id()
                + aggregated.map(a -> "_" + a.aggregation().id()).orElse("") + ".csv";
        CsvResponse.stream(rc, worker, rows, filename, ctx -> worker.executeBlocking(
                () -> Optional.ofNullable(known.unknown(query.school(), query.room())), false).map(unknown -> {
                    unknown.ifPresent(message -> Responses.error(ctx, 404, message, null));
                    return unknown.isPresent();
                }));
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
