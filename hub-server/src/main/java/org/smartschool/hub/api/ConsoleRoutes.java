package org.smartschool.hub.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operations console: {@code GET /} its page, {@code GET /console/...} its scripts, styles and dictionaries
 * (classpath {@value #ROOT}), {@code GET /webjars/...} the map and chart libraries it uses (Leaflet, uPlot: WebJars
 * on the classpath), so nothing is fetched from elsewhere but the map's tiles. The page signs in through the API
 * ({@code /api/v1/auth/login}) and reads everything through it; these routes need no credential and hold no data.
 *
 * <p>Caching: the page and the console's own files are revalidated on every load ({@code no-cache}, answered 304
 * when unchanged), so an upgraded hub is seen at once; a WebJar's path names its version, so it is kept for a year.
 */
public final class ConsoleRoutes implements RouteGroup {
    public static final String ROOT = "org/smartschool/hub/console";
    public static final String PAGE = ROOT + "/index.html";
    private static final String WEBJARS = "META-INF/resources/webjars";
    private static final long YEAR_SECONDS = 365L * 24 * 3600;

    private final Buffer page = ClasspathResource.read(PAGE);

    @Override
    public void mount(Router router) {
        router.get("/").handler(rc -> rc.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(page));
        router.get("/console/*").handler(ConsoleRoutes::revalidate)
                .handler(StaticHandler.create(ROOT).setCachingEnabled(true).setDirectoryListing(false).setIncludeHidden(false));
        router.get("/webjars/*").handler(StaticHandler.create(WEBJARS).setCachingEnabled(true)
                .setMaxAgeSeconds(YEAR_SECONDS).setDirectoryListing(false).setIncludeHidden(false));
    }

    /** The console's own files: the browser asks again each time (Last-Modified makes that a 304). */
    private static void revalidate(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> rc.response().headers().set("Cache-Control", "no-cache"));
        rc.next();
    }
}
