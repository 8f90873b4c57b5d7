package org.smartschool.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.routing.TopicRoute;

/**
 * CoAP devices: a CoAP server where devices POST or PUT their readings (DTLS 1.2 with a pre-shared
 * key per device, plain CoAP only when allowed), and CoAP devices the gateway observes (RFC 7641).
 *
 * @param enabled          whether the gateway runs the CoAP server and its observations
 * @param host             address to listen on
 * @param port             plain CoAP (UDP) port; listened on only when {@code allowPlain}; 0 picks a free port
 * @param allowPlain       accept unencrypted, unauthenticated CoAP from any device (a closed network only)
 * @param securePort       CoAP over DTLS port; listened on when a device key is configured; 0 picks a free port
 * @param maxPayloadBytes  larger request bodies (also when sent block-wise) are refused with 4.13
 * @param maxPendingPerDevice requests of one device waiting for the outbox at once; more get 5.03, so a
 *                         flooding device cannot hold up the others
 * @param deviceMaxRequestsPerSecond requests one device may make per second on average (a burst of 10 s
 *                         worth is allowed); more get 4.29 Too Many Requests with Max-Age, counted as
 *                         {@code device_flood}; 0 turns the limit off
 * @param routes           which resource path is which device, and which codec decodes it (first match wins)
 * @param keys             one pre-shared key per device; a device's identity may post only to its own resources
 * @param keyFile          more keys, one per line: {@code identity room device secret}; null for none
 * @param observe          devices the gateway observes
 * @param observeRetryMinMillis first wait before registering again after an observation was lost
 * @param observeRetryMaxMillis longest wait between registration attempts (the wait doubles up to it)
 * @param observeSilenceMillis an observation that sent nothing for this long is registered again
 */
public record CoapSettings(boolean enabled, String host, int port, boolean allowPlain, int securePort,
                           int maxPayloadBytes, int maxPendingPerDevice, int deviceMaxRequestsPerSecond,
                           List<Route> routes, List<DeviceKey> keys,
                           String keyFile, List<ObservedDevice> observe, long observeRetryMinMillis,
                           long observeRetryMaxMillis, long observeSilenceMillis) {

    public CoapSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("coap.host is missing");
        }
        requirePort("coap.port", port);
        requirePort("coap.securePort", securePort);
        if (maxPayloadBytes < 64 || maxPayloadBytes > 1024 * 1024) {
            throw new IllegalArgumentException("coap.maxPayloadBytes must be between 64 and 1048576: " + maxPayloadBytes);
        }
        if (maxPendingPerDevice < 1 || maxPendingPerDevice > 1000) {
            throw new IllegalArgumentException("coap.maxPendingPerDevice must be between 1 and 1000: " + maxPendingPerDevice);
        }
        if (deviceMaxRequestsPerSecond < 0 || deviceMaxRequestsPerSecond > 100_000) {
            throw new IllegalArgumentException("coap.deviceMaxRequestsPerSecond must be between 0 (no limit) and 100000: "
                    + deviceMaxRequestsPerSecond);
        }
        routes = routes == null ? List.of() : List.copyOf(routes);
        keys = keys == null ? List.of() : List.copyOf(keys);
        observe = observe == null ? List.of() : List.copyOf(observe);
        if (keyFile != null && keyFile.isBlank()) {
            keyFile = null;
        }
        if (observeRetryMinMillis < 10) {
            throw new IllegalArgumentException("coap.observeRetryMinMillis must be at least 10: " + observeRetryMinMillis);
        }
        if (observeRetryMaxMillis < observeRetryMinMillis) {
            throw new IllegalArgumentException("coap.observeRetryMaxMillis (" + observeRetryMaxMillis
                    + ") must be at least coap.observeRetryMinMillis (" + observeRetryMinMillis + ")");
        }
        if (observeSilenceMillis < 100) {
            throw new IllegalArgumentException("coap.observeSilenceMillis must be at least 100: " + observeSilenceMillis);
        }
        if (enabled && !allowPlain && keys.isEmpty() && keyFile == null && observe.isEmpty()) {
            throw new IllegalArgumentException("coap.enabled needs device keys (coap.keys or coap.keyFile),"
                    + " coap.allowPlain: true, or devices to observe (coap.observe)");
        }
    }

    /** A sensor posts every few seconds; a door reader a few times a second at most. */
    public static final int DEFAULT_DEVICE_MAX_REQUESTS_PER_SECOND = 50;

    public static CoapSettings defaults() {
        return new CoapSettings(false, "0.0.0.0", 5683, false, 5684, 16 * 1024, 8,
                DEFAULT_DEVICE_MAX_REQUESTS_PER_SECOND,
                List.of(new Route("{room}/{device}", "senml", null, null, null)), List.of(), null, List.of(),
                1000, 60_000, 300_000);
    }

    /** Whether a DTLS endpoint is needed: some device has a key. */
    @JsonIgnore
    public boolean hasKeys() {
        return !keys.isEmpty() || keyFile != null;
    }

    public CoapSettings withEnabled(boolean value) {
        return new CoapSettings(value, host, port, allowPlain, securePort, maxPayloadBytes, maxPendingPerDevice,
                deviceMaxRequestsPerSecond, routes,
                keys, keyFile, observe, observeRetryMinMillis, observeRetryMaxMillis, observeSilenceMillis);
    }

    public CoapSettings withPorts(String newHost, int newPort, boolean newAllowPlain, int newSecurePort) {
        return new CoapSettings(enabled, newHost, newPort, newAllowPlain, newSecurePort, maxPayloadBytes,
                maxPendingPerDevice,
                deviceMaxRequestsPerSecond, routes, keys, keyFile, observe, observeRetryMinMillis, observeRetryMaxMillis,
                observeSilenceMillis);
    }

    public CoapSettings withRoutes(List<Route> value) {
        return new CoapSettings(enabled, host, port, allowPlain, securePort, maxPayloadBytes, maxPendingPerDevice,
                deviceMaxRequestsPerSecond, value,
                keys, keyFile, observe, observeRetryMinMillis, observeRetryMaxMillis, observeSilenceMillis);
    }

    public CoapSettings withKeys(List<DeviceKey> value, String newKeyFile) {
        return new CoapSettings(enabled, host, port, allowPlain, securePort, maxPayloadBytes, maxPendingPerDevice,
                deviceMaxRequestsPerSecond, routes,
                value, newKeyFile, observe, observeRetryMinMillis, observeRetryMaxMillis, observeSilenceMillis);
    }

    public CoapSettings withDeviceMaxRequestsPerSecond(int value) {
        return new CoapSettings(enabled, host, port, allowPlain, securePort, maxPayloadBytes, maxPendingPerDevice, value,
                routes, keys, keyFile, observe, observeRetryMinMillis, observeRetryMaxMillis, observeSilenceMillis);
    }

    public CoapSettings withMaxPayloadBytes(int value) {
        return new CoapSettings(enabled, host, port, allowPlain, securePort, value, maxPendingPerDevice,
                deviceMaxRequestsPerSecond, routes,
                keys, keyFile, observe, observeRetryMinMillis, observeRetryMaxMillis, observeSilenceMillis);
    }

    public CoapSettings withObserve(List<ObservedDevice> value, long retryMinMillis, long retryMaxMillis, long silenceMillis) {
        return new CoapSettings(enabled, host, port, allowPlain, securePort, maxPayloadBytes, maxPendingPerDevice,
                deviceMaxRequestsPerSecond, routes,
                keys, keyFile, value, retryMinMillis, retryMaxMillis, silenceMillis);
    }

    /**
     * Which resource paths are which devices: {@code pattern} is a path whose segments may be
     * {@code {room}} or {@code {device}} (as the MQTT routes' topic patterns).
     *
     * @param codec     decodes SenML bodies (content-formats 110, 111 JSON and 112, 113 CBOR)
     * @param jsonCodec decodes {@code application/json} (50) from plain firmware; null refuses 50 with 4.15
     */
    public record Route(String pattern, String codec, String jsonCodec, String room, String device) {
        public Route {
            codec = codec == null || codec.isBlank() ? "senml" : codec;
            if (jsonCodec != null && jsonCodec.isBlank()) {
                jsonCodec = null;
            }
            try {
                new TopicRoute(pattern, codec, room, device, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("coap.routes: " + e.getMessage(), e);
            }
            if (pattern.startsWith("/") || pattern.contains("+") || pattern.contains("#")) {
                throw new IllegalArgumentException("coap.routes: pattern '" + pattern
                        + "' must be a path without a leading '/', made of words, {room} and {device}");
            }
        }

        /** The same route for the topic router, with {@code codecName} as its codec. */
        public TopicRoute topicRoute(String codecName) {
            return new TopicRoute(pattern, codecName, room, device, null);
        }
    }

    /**
     * One device's DTLS pre-shared key.
     *
     * @param identity the PSK identity the device sends (libcoap's {@code -u})
     * @param secret   the key: text as the device has it (libcoap's {@code -k}), or {@code hex:...} or
     *                 {@code base64:...} for binary keys
     */
    public record DeviceKey(String identity, String room, String device, String secret) {
        public DeviceKey {
            if (identity == null || identity.isEmpty() || identity.length() > 128) {
                throw new IllegalArgumentException("coap.keys: identity must be 1-128 characters");
            }
            requireId("coap.keys[" + identity + "].room", "room", room);
            requireId("coap.keys[" + identity + "].device", "device", device);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("coap.keys[" + identity + "].secret is missing");
            }
            byte[] bytes = secretBytes(identity, secret);
            if (bytes.length < 8 || bytes.length > 64) {
                throw new IllegalArgumentException("coap.keys[" + identity + "].secret must be 8-64 bytes, got " + bytes.length);
            }
        }

        /** The key's bytes. */
        @JsonIgnore
        public byte[] secretBytes() {
            return secretBytes(identity, secret);
        }

        private static byte[] secretBytes(String identity, String secret) {
            try {
                if (secret.startsWith("hex:")) {
                    return HexFormat.of().parseHex(secret.substring(4));
                }
                if (secret.startsWith("base64:")) {
                    return Base64.getDecoder().decode(secret.substring(7));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("coap.keys[" + identity + "].secret: " + e.getMessage(), e);
            }
            return secret.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "DeviceKey[identity=" + identity + ", room=" + room + ", device=" + device + ", secret=***]";
        }
    }

    /**
     * A CoAP device the gateway observes (RFC 7641): its notifications become readings.
     *
     * @param uri       {@code coap://host:port/path}, or {@code coaps://} with {@code identity} and {@code secret}
     * @param codec     decodes SenML notifications (110, 112)
     * @param jsonCodec decodes {@code application/json} notifications; null ignores them (counted)
     */
    public record ObservedDevice(String uri, String room, String device, String codec, String jsonCodec,
                                 String identity, String secret) {
        public ObservedDevice {
            String key = "coap.observe[" + uri + "]";
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("coap.observe: uri is missing");
            }
            try {
                URI parsed = new URI(uri);
                if (!"coap".equals(parsed.getScheme()) && !"coaps".equals(parsed.getScheme()) || parsed.getHost() == null) {
                    throw new IllegalArgumentException(key + ": uri must look like coap://host:port/path or coaps://...");
                }
                if ("coaps".equals(parsed.getScheme()) && (identity == null || secret == null)) {
                    throw new IllegalArgumentException(key + ": a coaps:// uri needs identity and secret");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(key + ": uri is not a URI: " + e.getMessage(), e);
            }
            requireId(key + ".room", "room", room);
            requireId(key + ".device", "device", device);
            codec = codec == null || codec.isBlank() ? "senml" : codec;
            if (jsonCodec != null && jsonCodec.isBlank()) {
                jsonCodec = null;
            }
            if (secret != null) {
                new DeviceKey(identity, room, device, secret); // same rules as a device's key
            }
        }

        @JsonIgnore
        public byte[] secretBytes() {
            return new DeviceKey(identity, room, device, secret).secretBytes();
        }

        @Override
        public String toString() {
            return "ObservedDevice[uri=" + uri + ", room=" + room + ", device=" + device + ", codec=" + codec
                    + ", jsonCodec=" + jsonCodec + ", identity=" + identity + ", secret=" + (secret == null ? "null" : "***") + "]";
        }
    }

    private static void requirePort(String key, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(key + " must be a UDP port (0-65535, 0 = any free port): " + port);
        }
    }

    private static void requireId(String key, String kind, String value) {
        try {
            Ids.require(kind, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
