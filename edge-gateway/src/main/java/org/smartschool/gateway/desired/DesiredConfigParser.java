package org.smartschool.gateway.desired;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.RulesSettings;

/**
 * Reads and validates a desired configuration: {@code {"version": n, "south": {"routes": [...]},
 * "coap": {"routes": [...], "keys": [...]}, "rules": {...}}} ({@code rules}: {@link RulesSettings}).
 * Every problem is one line that names the key ({@code south.routes[1].codec: unknown codec 'x' ...}).
 *
 * <p>{@code attendance}: the school's roster and timetable ({@link AttendanceSectionParser}).
 *
 * <p>Other top-level keys (the hub's {@code healthIntervalSeconds}, later roster and
 * timetable) are kept in the stored file but not applied by this gateway version: an older gateway
 * keeps working when the hub learns something new. Inside {@code south} and a route every key is
 * known, so a misspelt one is refused rather than silently left out. The same holds inside
 * {@code coap}; a device key's secret never appears in a message.
 */
public final class DesiredConfigParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As strict as gateway.yaml's loader: what it refuses there is refused here. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private static final Set<String> SOUTH_KEYS = Set.of("routes");
    private static final Set<String> ROUTE_KEYS = Set.of("pattern", "codec", "room", "device", "subscription");
    private static final Set<String> COAP_KEYS = Set.of("routes", "keys");
    private static final Set<String> COAP_ROUTE_KEYS = Set.of("pattern", "codec", "jsonCodec", "room", "device");
    private static final Set<String> DEVICE_KEY_KEYS = Set.of("identity", "room", "device", "secret");

    private final String school;
    private final CodecRegistry codecs;

    public DesiredConfigParser(String school, CodecRegistry codecs) {
        this.school = school;
        this.codecs = codecs;
    }

    /** The version a payload carries, without validating the rest; empty when it has none readable. */
    public static OptionalLong versionOf(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node != null && node.path("version").isIntegralNumber() && node.path("version").canConvertToLong()) {
                return OptionalLong.of(node.path("version").asLong());
            }
        } catch (IOException e) {
            // not JSON: no version
        }
        return OptionalLong.empty();
    }

    /** @throws DesiredConfigException with a one-line reason naming the key */
    public DesiredConfig parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            // the place, not Jackson's text: that quotes the payload, which may hold a device key
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new DesiredConfigException("not JSON: syntax error"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new DesiredConfigException("not JSON: cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw new DesiredConfigException("must be a JSON object with an integer \"version\"");
        }
        JsonNode version = root.path("version");
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 0) {
            throw new DesiredConfigException("version: must be an integer of 0 or more, not " + describe(version));
        }
        Optional<List<TopicRoute>> routes = Optional.empty();
        if (root.has("south")) {
            routes = south(root.get("south"));
        }
        Optional<List<CoapSettings.Route>> coapRoutes = Optional.empty();
        Optional<List<CoapSettings.DeviceKey>> coapKeys = Optional.empty();
        if (root.has("coap")) {
            JsonNode coap = root.get("coap");
            if (!coap.isObject()) {
                throw new DesiredConfigException("coap: must be an object, not " + describe(coap));
            }
            refuseUnknown("coap", coap, COAP_KEYS, "the hub may set only coap.routes and coap.keys");
            if (coap.has("routes")) {
                coapRoutes = Optional.of(coapRoutes(list("coap.routes", coap.get("routes"))));
            }
            if (coap.has("keys")) {
                coapKeys = Optional.of(deviceKeys(list("coap.keys", coap.get("keys"))));
            }
        }
        Optional<RulesSettings> rules = Optional.empty();
        java.util.Set<String> rulesKeys = java.util.Set.of();
        if (root.has("rules")) {
            rules = Optional.of(rules(root.get("rules")));
            rulesKeys = new java.util.HashSet<>();
            root.get("rules").fieldNames().forEachRemaining(rulesKeys::add);
        }
        Optional<org.smartschool.gateway.attendance.AttendancePlan> attendance = Optional.empty();
        if (root.has("attendance") && !root.get("attendance").isNull()) {
            attendance = Optional.of(AttendanceSectionParser.parse(root.get("attendance")));
        }
        return new DesiredConfig(version.asLong(), routes, coapRoutes, coapKeys, rules, rulesKeys, payload, attendance);
    }

    /**
     * {@code rules}: the same shape as gateway.yaml's {@code rules:} section ({@link RulesSettings}),
     * read with the same strictness: an unknown key, a value of the wrong kind or a rule that does not
     * hold together is refused, naming the key path.
     */
    private static RulesSettings rules(JsonNode node) {
        if (!node.isObject()) {
            throw new DesiredConfigException("rules: must be an object, not " + describe(node));
        }
        String unknown = org.smartschool.gateway.config.RecordKeys.unknownKey(node, RulesSettings.class, "rules");
        if (unknown != null) {
            throw new DesiredConfigException(SafeText.clean(unknown, 200) + ": unknown key");
        }
        try {
            return STRICT.treeToValue(node, RulesSettings.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new DesiredConfigException(rulesProblem(e));
        } catch (JsonProcessingException e) {
            throw new DesiredConfigException("rules: " + SafeText.clean(e.getOriginalMessage(), 200));
        }
    }

    /** {@code rules.overrides[1].replacement.levels[0]: limit: missing}, without Jackson's Java names. */
    private static String rulesProblem(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder("rules");
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(SafeText.clean(ref.getFieldName(), 64));
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                return path + ": " + SafeText.clean(cause.getMessage(), 240);
            }
        }
        String message = e.getOriginalMessage() == null ? "invalid" : e.getOriginalMessage();
        if (message.startsWith("Unrecognized field")) {
            return path + ": unknown key";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> type = mismatch.getTargetType();
            String expected = Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class ? "a number"
                    : type == Boolean.class || type == boolean.class ? "true or false"
                    : type == String.class ? "text"
                    : java.util.Collection.class.isAssignableFrom(type) ? "a list"
                    : "an object";
            return path + ": must be " + expected;
        }
        int cut = message.indexOf(" (class ");
        return path + ": " + SafeText.clean(cut > 0 ? message.substring(0, cut) : message, 200);
    }

    private static JsonNode list(String key, JsonNode node) {
        if (!node.isArray()) {
            throw new DesiredConfigException(key + ": must be a list, not " + describe(node));
        }
        return node;
    }

    private List<CoapSettings.Route> coapRoutes(JsonNode list) {
        List<CoapSettings.Route> routes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "coap.routes[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                throw new DesiredConfigException(key + ": must be an object, not " + describe(node));
            }
            refuseUnknown(key, node, COAP_ROUTE_KEYS, "known keys are " + COAP_ROUTE_KEYS.stream().sorted().toList());
            String pattern = text(key, node, "pattern");
            String codec = text(key, node, "codec");
            String jsonCodec = text(key, node, "jsonCodec");
            String room = text(key, node, "room");
            String device = text(key, node, "device");
            if (pattern == null || pattern.isBlank()) {
                throw new DesiredConfigException(key + ".pattern: missing");
            }
            requireCodec(key + ".codec", codec);
            requireCodec(key + ".jsonCodec", jsonCodec);
            requireId(key + ".room", "room", room);
            requireId(key + ".device", "device", device);
            CoapSettings.Route route;
            try {
                route = new CoapSettings.Route(pattern, codec, jsonCodec, room, device);
                new TopicRouter(school, List.of(route.topicRoute(route.codec())), codecs); // as the gateway checks at start
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage() == null ? "invalid" : e.getMessage().replaceFirst("^coap\\.routes: ", "");
                throw new DesiredConfigException(key + ": " + SafeText.clean(reason, 200));
            }
            routes.add(route);
        }
        return routes;
    }

    /** Device keys are secrets: no message here ever shows one, nor a part of one. */
    private static List<CoapSettings.DeviceKey> deviceKeys(JsonNode list) {
        List<CoapSettings.DeviceKey> keys = new ArrayList<>();
        Set<String> identities = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "coap.keys[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                throw new DesiredConfigException(key + ": must be an object, not " + (node.isTextual() ? "text" : describe(node)));
            }
            refuseUnknown(key, node, DEVICE_KEY_KEYS, "known keys are " + DEVICE_KEY_KEYS.stream().sorted().toList());
            String identity = text(key, node, "identity");
            String room = text(key, node, "room");
            String device = text(key, node, "device");
            JsonNode secretNode = node.get("secret");
            if (identity == null || identity.isEmpty() || identity.length() > 128) {
                throw new DesiredConfigException(key + ".identity: must be 1-128 characters");
            }
            if (room == null) {
                throw new DesiredConfigException(key + ".room: missing");
            }
            if (device == null) {
                throw new DesiredConfigException(key + ".device: missing");
            }
            requireId(key + ".room", "room", room);
            requireId(key + ".device", "device", device);
            if (secretNode == null || secretNode.isNull()) {
                throw new DesiredConfigException(key + ".secret: missing");
            }
            if (!secretNode.isTextual()) {
                throw new DesiredConfigException(key + ".secret: must be text");
            }
            String secret = secretNode.asText();
            int length = secretLength(key + ".secret", secret);
            if (length < 8 || length > 64) {
                throw new DesiredConfigException(key + ".secret: must be 8-64 bytes, got " + length);
            }
            if (!identities.add(identity)) {
                throw new DesiredConfigException(key + ".identity: '" + SafeText.clean(identity, 80) + "' is listed twice");
            }
            keys.add(new CoapSettings.DeviceKey(identity, room, device, secret));
        }
        return keys;
    }

    /** The key's length in bytes; the message says what is wrong with its encoding, never what it holds. */
    private static int secretLength(String key, String secret) {
        if (secret.startsWith("hex:")) {
            try {
                return java.util.HexFormat.of().parseHex(secret.substring(4)).length;
            } catch (IllegalArgumentException e) {
                throw new DesiredConfigException(key + ": not valid hex after 'hex:' (an even number of 0-9, a-f)");
            }
        }
        if (secret.startsWith("base64:")) {
            try {
                return java.util.Base64.getDecoder().decode(secret.substring(7)).length;
            } catch (IllegalArgumentException e) {
                throw new DesiredConfigException(key + ": not valid base64 after 'base64:'");
            }
        }
        return secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private void requireCodec(String key, String codec) {
        if (codec != null && codecs.find(codec).isEmpty()) {
            throw new DesiredConfigException(key + ": unknown codec '" + SafeText.clean(codec, 64)
                    + "': known codecs are "
                    + codecs.all().stream().map(org.smartschool.bridge.codec.Codec::name).sorted().toList());
        }
    }

    private static void requireId(String key, String kind, String value) {
        if (value != null && !Ids.isValid(value)) {
            throw new DesiredConfigException(key + ": invalid " + kind + " id '" + SafeText.clean(value, 64) + "'");
        }
    }

    private Optional<List<TopicRoute>> south(JsonNode south) {
        if (!south.isObject()) {
            throw new DesiredConfigException("south: must be an object, not " + describe(south));
        }
        refuseUnknown("south", south, SOUTH_KEYS, "the hub may set only south.routes");
        if (!south.has("routes")) {
            return Optional.empty();
        }
        JsonNode list = south.get("routes");
        if (!list.isArray()) {
            throw new DesiredConfigException("south.routes: must be a list, not " + describe(list));
        }
        List<TopicRoute> routes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            routes.add(route("south.routes[" + i + "]", list.get(i)));
        }
        try {
            new TopicRouter(school, routes, codecs); // the same check the gateway makes at start
        } catch (IllegalArgumentException e) {
            throw new DesiredConfigException("south.routes: " + SafeText.clean(e.getMessage(), 200));
        }
        return Optional.of(routes);
    }

    private TopicRoute route(String key, JsonNode node) {
        if (!node.isObject()) {
            throw new DesiredConfigException(key + ": must be an object, not " + describe(node));
        }
        refuseUnknown(key, node, ROUTE_KEYS, "known keys are " + ROUTE_KEYS.stream().sorted().toList());
        String pattern = text(key, node, "pattern");
        String codec = text(key, node, "codec");
        String room = text(key, node, "room");
        String device = text(key, node, "device");
        String subscription = text(key, node, "subscription");
        if (codec != null && codecs.find(codec).isEmpty()) {
            throw new DesiredConfigException(key + ".codec: unknown codec '" + SafeText.clean(codec, 64)
                    + "': known codecs are "
                    + codecs.all().stream().map(org.smartschool.bridge.codec.Codec::name).sorted().toList());
        }
        if (room != null && !Ids.isValid(room)) {
            throw new DesiredConfigException(key + ".room: invalid room id '" + SafeText.clean(room, 64) + "'");
        }
        if (device != null && !Ids.isValid(device)) {
            throw new DesiredConfigException(key + ".device: invalid device id '" + SafeText.clean(device, 64) + "'");
        }
        if (subscription != null && !isTopicFilter(subscription)) {
            throw new DesiredConfigException(key + ".subscription: '" + SafeText.clean(subscription, 120)
                    + "' is not an MQTT topic filter");
        }
        try {
            return new TopicRoute(pattern, codec, room, device, subscription);
        } catch (IllegalArgumentException e) {
            String field = pattern == null || pattern.isBlank() ? ".pattern" : codec == null ? ".codec" : "";
            throw new DesiredConfigException(key + field + ": " + SafeText.clean(e.getMessage(), 200));
        }
    }

    private static String text(String key, JsonNode route, String name) {
        JsonNode value = route.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new DesiredConfigException(key + "." + name + ": must be text, not " + describe(value));
        }
        return value.asText();
    }

    private static void refuseUnknown(String key, JsonNode node, Set<String> known, String hint) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new DesiredConfigException(key + "." + SafeText.clean(name, 64) + ": unknown key; " + hint);
            }
        }
    }

    /** An MQTT filter: non-empty, '+' and '#' only as whole levels, '#' only last. */
    static boolean isTopicFilter(String filter) {
        if (filter.isEmpty() || filter.length() > 65_535 || filter.indexOf('\0') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if ((level.contains("+") && !level.equals("+")) || (level.contains("#") && !level.equals("#"))
                    || (level.equals("#") && i != levels.length - 1)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + SafeText.clean(node.toString(), 40);
    }
}
