package org.smartschool.gateway.coap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.south.DeviceIntake;

/**
 * Which device a CoAP resource path is, and where its message goes for the content-format it came
 * in: the configured routes decide (first match wins), the content-format picks the route's codec.
 * Nothing is guessed from the payload. Plain class, no CoAP library types: tested without sockets.
 */
public final class CoapDevices {
    /** CoAP content-formats (RFC 7252 section 12.3, RFC 8428 section 12.3). */
    public static final int APPLICATION_JSON = 50;
    public static final int SENML_JSON = 110;
    public static final int SENSML_JSON = 111;
    public static final int SENML_CBOR = 112;
    public static final int SENSML_CBOR = 113;
    /** What a request without a Content-Format option has (Californium's {@code MediaTypeRegistry.UNDEFINED}). */
    public static final int NONE = -1;

    private final List<Entry> entries;

    private CoapDevices(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param intakes makes the intake that routes with the given router (and so decodes with its codec)
     * @throws IllegalArgumentException when a route names a codec that {@code codecs} does not have
     */
    public static CoapDevices of(String school, List<CoapSettings.Route> routes, CodecRegistry codecs,
                                 Function<TopicRouter, DeviceIntake> intakes) {
        List<Entry> entries = new ArrayList<>(routes.size());
        for (CoapSettings.Route route : routes) {
            TopicRouter senml = router(school, route, route.codec(), codecs);
            TopicRouter json = route.jsonCodec() == null ? null : router(school, route, route.jsonCodec(), codecs);
            entries.add(new Entry(senml, intakes.apply(senml), json == null ? null : intakes.apply(json)));
        }
        return new CoapDevices(entries);
    }

    private static TopicRouter router(String school, CoapSettings.Route route, String codec, CodecRegistry codecs) {
        try {
            return new TopicRouter(school, List.of(route.topicRoute(codec)), codecs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("coap.routes['" + route.pattern() + "']: " + e.getMessage(), e);
        }
    }

    /** Where a request to {@code path} (without leading '/') with {@code contentFormat} goes. */
    public Resolution resolve(String path, int contentFormat) {
        for (Entry entry : entries) {
            if (!(entry.router.route(path) instanceof TopicRouter.Routing.Routed routed)) {
                continue;
            }
            String mediaType = mediaType(contentFormat);
            if (mediaType == null) {
                return new Resolution.UnsupportedFormat(contentFormat == NONE
                        ? "no Content-Format: send 110 (SenML JSON) or 112 (SenML CBOR)" + (entry.json != null ? " or 50 (JSON)" : "")
                        : "Content-Format " + contentFormat + " is not accepted: send 110 (SenML JSON) or 112 (SenML CBOR)"
                        + (entry.json != null ? " or 50 (JSON)" : ""));
            }
            if (contentFormat == APPLICATION_JSON) {
                if (entry.json == null) {
                    return new Resolution.UnsupportedFormat(
                            "Content-Format 50 (JSON) is not configured for this resource: send 110 (SenML JSON) or 112 (SenML CBOR)");
                }
                return new Resolution.Target(routed.device(), entry.json, mediaType);
            }
            return new Resolution.Target(routed.device(), entry.senml, mediaType);
        }
        return new Resolution.NotFound("no device at this path");
    }

    /** The MIME type codecs understand for a content-format this gateway takes, else null. */
    static String mediaType(int contentFormat) {
        return switch (contentFormat) {
            case APPLICATION_JSON -> "application/json";
            case SENML_JSON -> "application/senml+json";
            case SENSML_JSON -> "application/sensml+json";
            case SENML_CBOR -> "application/senml+cbor";
            case SENSML_CBOR -> "application/sensml+cbor";
            default -> null;
        };
    }

    /** What becomes of a request. */
    public sealed interface Resolution {
        /** A known device: hand the message to {@code intake} with {@code contentType}. */
        record Target(DeviceRef device, DeviceIntake intake, String contentType) implements Resolution {
        }

        /** No route matches the path (4.04). */
        record NotFound(String reason) implements Resolution {
        }

        /** A known device, but not in this content-format (4.15). */
        record UnsupportedFormat(String reason) implements Resolution {
        }
    }

    private record Entry(TopicRouter router, DeviceIntake senml, DeviceIntake json) {
    }
}
