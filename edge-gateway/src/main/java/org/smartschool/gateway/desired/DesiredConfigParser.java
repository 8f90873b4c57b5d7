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

/**
 * Reads and validates a desired configuration: {@code {"version": n, "south": {"routes": [...]}}}.
 * Every problem is one line that names the key ({@code south.routes[1].codec: unknown codec 'x' ...}).
 *
 * <p>Other top-level keys (the hub's {@code healthIntervalSeconds}, later rules, roster and
 * timetable) are kept in the stored file but not applied by this gateway version: an older gateway
 * keeps working when the hub learns something new. Inside {@code south} and a route every key is
 * known, so a misspelt one is refused rather than silently left out.
 */
public final class DesiredConfigParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SOUTH_KEYS = Set.of("routes");
    private static final Set<String> ROUTE_KEYS = Set.of("pattern", "codec", "room", "device", "subscription");

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
            throw new DesiredConfigException("not JSON: " + SafeText.clean(e.getOriginalMessage(), 120));
        } catch (IOException e) {
            throw new DesiredConfigException("not JSON: " + SafeText.clean(e.getMessage(), 120));
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
        return new DesiredConfig(version.asLong(), routes, payload);
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
