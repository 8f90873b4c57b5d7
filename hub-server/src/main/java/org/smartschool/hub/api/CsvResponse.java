package org.smartschool.hub.api;

import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.api.csv.CsvFormat;
import org.smartschool.hub.api.csv.CsvRows;

/**
 * Streams a {@link CsvRows} as a chunked {@code text/csv} answer: one page is read from the store on a
 * worker thread while the event loop only writes it, and the next page is read only when the connection
 * has taken the last one (back-pressure), so the heap holds one page whatever the export's length.
 *
 * <p>The status and headers go out with the first page, so a question decided by the data (is the room
 * known?) is answered before: {@code onEmpty} is asked when the first page is empty and may answer 404.
 * A store failure after the first page cannot change the status any more: the connection is reset so the
 * client sees a broken download, never a short file that looks whole.
 */
final class CsvResponse {
    private static final Logger LOG = LoggerFactory.getLogger(CsvResponse.class);

    private CsvResponse() {
    }

    /** What to do when the export holds no row at all: answer it (true) or write the header alone (false). */
    interface OnEmpty {
        Future<Boolean> answered(RoutingContext rc);
    }

    static void stream(RoutingContext rc, WorkerExecutor worker, CsvRows rows, String filename, OnEmpty onEmpty) {
        worker.executeBlocking(rows::next, false).onComplete(first -> {
            if (first.failed()) {
                rc.fail(first.cause());
                return;
            }
            Future<Boolean> answered = first.result().isEmpty() ? onEmpty.answered(rc) : Future.succeededFuture(false);
            answered.onComplete(done -> {
                if (done.failed()) {
                    rc.fail(done.cause());
                } else if (!done.result()) {
                    HttpServerResponse response = rc.response().setChunked(true)
                            .putHeader("Content-Type", CsvFormat.CONTENT_TYPE)
                            .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
                    response.write(CsvFormat.record(rows.header()));
                    writePage(rc, worker, rows, first.result());
                }
            });
        });
    }

    private static void writePage(RoutingContext rc, WorkerExecutor worker, CsvRows rows, List<String> page) {
        HttpServerResponse response = rc.response();
        if (page.isEmpty()) {
            response.end();
            return;
        }
        if (response.closed()) {
            return; // the client went away: read no further
        }
        Buffer chunk = Buffer.buffer(page.size() * 64);
        page.forEach(chunk::appendString);
        response.write(chunk);
        whenDrained(response).compose(ignored -> worker.executeBlocking(rows::next, false)).onComplete(next -> {
            if (next.succeeded()) {
                writePage(rc, worker, rows, next.result());
            } else if (!response.closed()) {
                LOG.warn("{} {}: CSV export failed after its first page, connection reset: {}", rc.request().method(),
                        rc.request().path(), next.cause().toString());
                response.reset();
            }
        });
    }

    private static Future<Void> whenDrained(HttpServerResponse response) {
        if (!response.writeQueueFull()) {
            return Future.succeededFuture();
        }
        Promise<Void> drained = Promise.promise();
        response.drainHandler(v -> drained.tryComplete());
        response.closeHandler(v -> drained.tryFail("closed"));
        return drained.future();
    }
}
