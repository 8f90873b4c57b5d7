package org.smartschool.hub.desired;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts a gateway's desired configuration together (docs/protocol.md 3.2). Pure: the same input gives
 * the same map.
 */
public final class DesiredConfigAssembly {
    static final String RULES = "rules";
    static final String ROOM_KINDS = "roomKinds";
    static final String LESSON_HOURS = "lessonHours";
    static final String ATTENDANCE = "attendance";

    private DesiredConfigAssembly() {
    }

    /** {@code {"version": <int>, ...}}: the configured map, with version 1 unless it names an integer one. */
    public static Map<String, Object> configured(Map<String, Object> configured) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", configured.get("version") instanceof Integer v ? v : 1);
        configured.forEach((k, v) -> {
            if (!k.equals("version")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The configured map with {@code rules.roomKinds} of the school added: the registry's kinds (room id
     * to kind, e.g. {@code r101 -> classroom}), over which the configured {@code rules.roomKinds} wins
     * room by room; the other keys of a configured {@code rules} stay. A configured {@code rules} or
     * {@code rules.roomKinds} that is not an object is sent as configured, for the gateway to refuse
     * with its key. The version is {@code version} (which changes with the registry's kinds), or the
     * configured one where that is larger, so that it only ever increases.
     */
    public static Map<String, Object> withRoomKinds(Map<String, Object> configured, Map<String, String> registryKinds,
                                                    long version) {
        Map<String, Object> out = configured(configured);
        Object configuredVersion = configured.get("version");
        out.put("version", configuredVersion instanceof Number n ? Math.max(n.longValue(), version) : version);
        Object rules = out.get(RULES);
        if (rules != null && !(rules instanceof Map)) {
            return out;
        }
        Map<String, Object> mergedRules = new LinkedHashMap<>();
        if (rules instanceof Map<?, ?> map) {
            map.forEach((k, v) -> mergedRules.put(String.valueOf(k), v));
        }
        Object own = mergedRules.get(ROOM_KINDS);
        if (own != null && !(own instanceof Map)) {
            return out;
        }
        Map<String, Object> kinds = new TreeMap<>(registryKinds);
        if (own instanceof Map<?, ?> map) {
            map.forEach((room, kind) -> kinds.put(String.valueOf(room), kind));
        }
        mergedRules.put(ROOM_KINDS, kinds);
        out.put(RULES, mergedRules);
        return out;
    }

    /**
     * An assembled configuration ({@link #withRoomKinds}) with the school's {@code attendance} section (which
     * replaces a configured one: the hub makes it from the roster) and {@code rules.lessonHours} from its
     * timetable where hub.yaml's {@code desiredConfig} names none (hub.yaml's wins, as for room kinds).
     */
    public static Map<String, Object> withAttendance(Map<String, Object> assembled, Map<String, Object> section,
                                                     Map<String, Object> lessonHours) {
        Map<String, Object> out = new LinkedHashMap<>(assembled);
        out.put(ATTENDANCE, section);
        if (lessonHours != null && out.get(RULES) instanceof Map<?, ?> rules && !rules.containsKey(LESSON_HOURS)) {
            Map<String, Object> merged = new LinkedHashMap<>();
            rules.forEach((k, v) -> merged.put(String.valueOf(k), v));
            merged.put(LESSON_HOURS, lessonHours);
            out.put(RULES, merged);
        }
        return out;
    }
}
