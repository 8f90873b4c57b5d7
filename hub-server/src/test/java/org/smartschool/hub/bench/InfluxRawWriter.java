package org.smartschool.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.smartschool.hub.store.influx.InfluxSchema;

/**
 * Line protocol straight to InfluxDB 1.x's {@code /write} (plain java.net.http, no client library in the
 * way): the raw ceiling the hub is compared with.
 */
final class InfluxRawWriter {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String database;

    InfluxRawWriter(String url, String database) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.database = database;
    }

    /** The database with the store's default retention policy {@code raw} (the shards the hub's points go to). */
    void createDatabase() throws IOException, InterruptedException {
        query("CREATE DATABASE \"" + database + "\"");
        query("CREATE RETENTION POLICY \"" + InfluxSchema.RAW_POLICY + "\" ON \"" + database + "\" DURATION "
                + InfluxSchema.RAW_DURATION + " REPLICATION 1 DEFAULT");
    }

    String database() {
        return database;
    }

    void dropDatabase() throws IOException, InterruptedException {
        query("DROP DATABASE \"" + database + "\"");
    }

    private void query(String q) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
            throw new IOException(url + "/query " + q + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** The JSON answer of an InfluxQL query on the database. */
    String select(String q) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/query?db="
                        + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + "/query " + q + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /**
     * InfluxDB's own counters of {@code /write} requests: {writeReq, pointsWrittenOK, writeReqBytes}
     * ({@code SHOW STATS FOR 'httpd'}; all clients of that InfluxDB count).
     */
    long[] writeStats() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/query?q="
                        + URLEncoder.encode("SHOW STATS FOR 'httpd'", StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).GET().build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher columns = java.util.regex.Pattern.compile("\"columns\":\\[([^\\]]*)\\]").matcher(body);
        java.util.regex.Matcher values = java.util.regex.Pattern.compile("\"values\":\\[\\[([^\\]]*)\\]").matcher(body);
        if (!columns.find() || !values.find()) {
            return new long[3];
        }
        List<String> names = List.of(columns.group(1).replace("\"", "").split(","));
        String[] numbers = values.group(1).split(",");
        return new long[] {Long.parseLong(numbers[names.indexOf("writeReq")]),
                Long.parseLong(numbers[names.indexOf("pointsWrittenOK")]),
                Long.parseLong(numbers[names.indexOf("writeReqBytes")])};
    }

    /** One {@code /write}, failing on anything but 204. */
    void write(byte[] lines) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/write?precision=ms&rp=" + InfluxSchema.RAW_POLICY
                        + "&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(lines))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IOException(url + "/write: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Writes every body with {@code writers} concurrent writers and returns the seconds it took. */
    double writeAll(List<byte[]> bodies, int writers) throws Exception {
        ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>(bodies);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                done.add(pool.submit(() -> {
                    byte[] body;
                    while ((body = queue.poll()) != null) {
                        write(body);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
