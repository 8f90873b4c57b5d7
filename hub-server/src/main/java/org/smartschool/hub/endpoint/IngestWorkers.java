package org.smartschool.hub.endpoint;

import java.util.Objects;

import io.vertx.core.WorkerExecutor;

/**
 * The endpoint's two bounded worker pools: decoding (CPU) and storing (I/O). HTTP reads have a pool of their
 * own, so that ingest, however busy, never starves {@code /health} or the API. The number of tasks queued on
 * these pools is bounded too: at most Receive Maximum batches per gateway connection.
 */
public record IngestWorkers(WorkerExecutor decode, WorkerExecutor store) {
    public IngestWorkers {
        Objects.requireNonNull(decode, "decode");
        Objects.requireNonNull(store, "store");
    }
}
