package org.smartschool.bridge.routing;

import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the gateway's device map: messages on topics matching {@code pattern} are decoded
 * with {@code codec} and belong to the room and device the pattern (or the fixed values) names.
 *
 * <p>Patterns are MQTT topic filters whose levels may be {@code {room}} or {@code {device}}
 * placeholders, each matching exactly one level; {@code +} matches one level and a trailing
 * {@code #} any remaining levels. Example: {@code zigbee2mqtt/{room}/{device}}. A route
 * without a {@code {room}} placeholder must name the room; likewise the device.
 *
 * @param subscription the MQTT filter to subscribe to; derived from the pattern when absent
 */
public record TopicRoute(String pattern, String codec, String room, String device, String subscription) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(room|device)}");

    @JsonCreator
    public TopicRoute(@JsonProperty("pattern") String pattern, @JsonProperty("codec") String codec,
                      @JsonProperty("room") String room, @JsonProperty("device") String device,
                      @JsonProperty("subscription") String subscription) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a route needs a topic pattern");
        }
        if (codec == null || codec.isBlank()) {
            throw new IllegalArgumentException("route '" + pattern + "' names no codec");
        }
        if (!pattern.contains("{room}") && room == null) {
            throw new IllegalArgumentException("route '" + pattern + "' has no {room} placeholder and no fixed room");
        }
        if (!pattern.contains("{device}") && device == null) {
            throw new IllegalArgumentException("route '" + pattern + "' has no {device} placeholder and no fixed device");
        }
        String[] levels = pattern.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean ok = level.equals("+") || (level.equals("#") && i == levels.length - 1)
                    || PLACEHOLDER.matcher(level).matches()
                    || (!level.contains("+") && !level.contains("#") && !level.contains("{"));
            if (!ok) {
                throw new IllegalArgumentException("route '" + pattern + "': level '" + level
                        + "' must be a plain word, '+', a final '#', {room} or {device}");
            }
        }
        this.pattern = pattern;
        this.codec = codec;
        this.room = room;
        this.device = device;
        this.subscription = subscription != null ? subscription : PLACEHOLDER.matcher(pattern).replaceAll("+");
    }

    public TopicRoute(String pattern, String codec) {
        this(pattern, codec, null, null, null);
    }

    /** The room and device a topic names under this route, or null when it does not match. */
    Match match(String topic) {
        String[] want = pattern.split("/", -1);
        String[] got = topic.split("/", -1);
        String matchedRoom = room;
        String matchedDevice = device;
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("#")) {
                return new Match(matchedRoom, matchedDevice);
            }
            if (i >= got.length) {
                return null;
            }
            switch (want[i]) {
                case "+" -> { }
                case "{room}" -> matchedRoom = got[i];
                case "{device}" -> matchedDevice = got[i];
                default -> {
                    if (!want[i].equals(got[i])) {
                        return null;
                    }
                }
            }
        }
        return got.length == want.length ? new Match(matchedRoom, matchedDevice) : null;
    }

    record Match(String room, String device) {
        Match {
            Objects.requireNonNull(room);
            Objects.requireNonNull(device);
        }
    }
}
