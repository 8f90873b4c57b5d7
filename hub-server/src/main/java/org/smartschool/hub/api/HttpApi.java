package org.smartschool.hub.api;

import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.config.HttpConfig;

/** The HTTP server: mounts the route groups it is given and listens. */
public final class HttpApi extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final HttpConfig config;
    private final List<RouteGroup> groups;
    private HttpServer server;
    private volatile Router router;
    private volatile int actualPort = -1;

    public HttpApi(HttpConfig config, List<RouteGroup> groups) {
        this.config = config;
        this.groups = List.copyOf(groups);
    }

    @Override
    public Future<?> start() {
        router = router(vertx, groups);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                .requestHandler(router);
        return server.listen().onSuccess(s -> {
            actualPort = s.actualPort();
            LOG.info("HTTP API listening on {}:{}", config.host(), actualPort);
        });
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The port the server listens on; -1 before start. */
    public int actualPort() {
        return actualPort;
    }

    /**
     * What the server answers, as {@code "GET /api/v1/readings"} lines ({@code "*"} when a route takes any
     * method); empty before start. The OpenAPI document must describe each.
     */
    public List<String> servedRoutes() {
        Router current = router;
        if (current == null) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (io.vertx.ext.web.Route route : current.getRoutes()) {
            if (route.getPath() == null) {
                continue;
            }
            if (route.methods() == null || route.methods().isEmpty()) {
                out.add("* " + route.getPath());
            } else {
                route.methods().forEach(m -> out.add(m.name() + " " + route.getPath()));
            }
        }
        return out;
    }

    /** The router with every group mounted, and a JSON answer for failures. */
    public static Router router(io.vertx.core.Vertx vertx, List<RouteGroup> groups) {
        Router router = Router.router(vertx);
        groups.forEach(group -> group.mount(router));
        router.errorHandler(500, rc -> {
            // the path is the client's text: SafeText keeps it from forging log lines
            LOG.warn("{} {} failed: {}", rc.request().method(), SafeText.clean(rc.request().path(), 200),
                    rc.failure() == null ? "status " + rc.statusCode() : rc.failure().toString());
            Responses.error(rc, 500, "internal error", null);
        });
        return router;
    }
}
