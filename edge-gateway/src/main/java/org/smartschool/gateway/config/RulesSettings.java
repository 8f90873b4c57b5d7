package org.smartschool.gateway.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.rules.Condition;
import org.smartschool.gateway.rules.DefaultRules;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.gateway.rules.Rule;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.gateway.rules.RuleLevel;
import org.smartschool.gateway.rules.RuleOverride;

/**
 * The school's rules ({@code rules:} in gateway.yaml, and the same shape under {@code rules} in the
 * hub's desired configuration, docs/protocol.md 3.2): which room is of which kind, when lessons
 * are held, the school's own rules on top of the defaults of DESIGN.md, and changes per room kind
 * or room. Validated whole in the constructors, so it is applied whole or not at all.
 *
 * @param roomKinds room id -> kind ({@code classroom}, {@code lab}, {@code computer-room},
 *                  {@code library}, {@code hall}, {@code office}, {@code technical} ...); a room not
 *                  listed has no kind, and rules restricted to room kinds do not judge it
 * @param lessonHours when lessons are held, for rules judged only then (light)
 * @param rules the school's own rules: one with the id of a default replaces it, one with
 *              {@code disabled: true} switches it off for the whole school, others are added
 * @param overrides changes of one rule for a room kind or for one room (the room's wins)
 */
public record RulesSettings(Map<String, String> roomKinds, LessonHoursSettings lessonHours, List<RuleSettings> rules,
                            List<OverrideSettings> overrides) {

    public RulesSettings {
        roomKinds = roomKinds == null ? Map.of() : new TreeMap<>(roomKinds);
        roomKinds.forEach((room, kind) -> {
            if (!Ids.isValid(room)) {
                throw new IllegalArgumentException("roomKinds: invalid room id '" + SafeText.clean(room, 64) + "'");
            }
            requireKind("roomKinds." + room, kind);
        });
        roomKinds = Map.copyOf(roomKinds);
        lessonHours = lessonHours == null ? LessonHoursSettings.defaults() : lessonHours;
        rules = rules == null ? List.of() : List.copyOf(rules);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        Set<String> ids = new LinkedHashSet<>();
        DefaultRules.all().forEach(r -> ids.add(r.id()));
        Set<String> own = new java.util.HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id() == null) {
                throw new IllegalArgumentException("rules[" + i + "].id: missing");
            }
            if (!own.add(rules.get(i).id())) {
                throw new IllegalArgumentException("rules[" + i + "].id: rule '" + rules.get(i).id() + "' is listed twice");
            }
            ids.add(rules.get(i).id());
        }
        for (int i = 0; i < overrides.size(); i++) {
            OverrideSettings o = overrides.get(i);
            if (o.replacement() == null && !ids.contains(o.rule())) {
                throw new IllegalArgumentException("overrides[" + i + "].rule: no rule '" + o.rule() + "' to switch off; rules are "
                        + ids);
            }
        }
    }

    /** Nothing configured: the default rules, no room kinds, Vietnamese lesson hours. */
    public static RulesSettings defaults() {
        return new RulesSettings(Map.of(), LessonHoursSettings.defaults(), List.of(), List.of());
    }

    /** The same settings with these room kinds (the hub's demo names its rooms' kinds so). */
    public RulesSettings withRoomKinds(Map<String, String> kinds) {
        return new RulesSettings(kinds, lessonHours, rules, overrides);
    }

    /** The rule book: the defaults, the school's own by id, the overrides. */
    public RuleBook toRuleBook() {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule rule : DefaultRules.all()) {
            byId.put(rule.id(), rule);
        }
        for (RuleSettings rule : rules) {
            if (rule.switchedOff()) {
                byId.remove(rule.id());
            } else {
                byId.put(rule.id(), rule.toRule(rule.id()));
            }
        }
        List<RuleOverride> changes = new ArrayList<>();
        for (OverrideSettings o : overrides) {
            changes.add(o.toOverride());
        }
        return new RuleBook(new ArrayList<>(byId.values()), roomKinds, changes);
    }

    public LessonHours toLessonHours() {
        return lessonHours.toLessonHours();
    }

    static void requireKind(String key, String kind) {
        if (kind == null || !kind.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException(key + ": room kind '" + SafeText.clean(String.valueOf(kind), 64)
                    + "' must be 1-32 of a-z, 0-9, '-', '_' (classroom, lab, computer-room, library, hall, office, technical ...)");
        }
    }

    /**
     * @param timeZone an IANA zone id
     * @param days days of the week lessons are held ({@code MONDAY} ...)
     * @param windows local times {@code HH:mm-HH:mm}, start included, end excluded
     */
    public record LessonHoursSettings(String timeZone, List<String> days, List<String> windows) {
        public LessonHoursSettings {
            timeZone = timeZone == null ? LessonHours.VIETNAM.getId() : timeZone;
            days = days == null ? List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY") : List.copyOf(days);
            windows = windows == null ? List.of("07:00-11:25", "13:30-17:00") : List.copyOf(windows);
            toLessonHours(timeZone, days, windows);
        }

        public static LessonHoursSettings defaults() {
            return new LessonHoursSettings(null, null, null);
        }

        public LessonHours toLessonHours() {
            return toLessonHours(timeZone, days, windows);
        }

        private static LessonHours toLessonHours(String timeZone, List<String> days, List<String> windows) {
            ZoneId zone;
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timeZone: unknown time zone '" + SafeText.clean(timeZone, 64)
                        + "' (an IANA id such as Asia/Ho_Chi_Minh)");
            }
            Set<DayOfWeek> weekdays = EnumSet.noneOf(DayOfWeek.class);
            for (int i = 0; i < days.size(); i++) {
                try {
                    weekdays.add(DayOfWeek.valueOf(String.valueOf(days.get(i)).toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("days[" + i + "]: '" + SafeText.clean(String.valueOf(days.get(i)), 20)
                            + "' is not a day (MONDAY ... SUNDAY)");
                }
            }
            List<LessonHours.Window> parsed = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                try {
                    parsed.add(LessonHours.Window.parse(windows.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("windows[" + i + "]: " + SafeText.clean(e.getMessage(), 120));
                }
            }
            return new LessonHours(zone, weekdays, parsed);
        }
    }

    /**
     * One rule as configured.
     *
     * @param id 1-64 of a-z, 0-9, '.', '_', '-'; part of the alarm id
     * @param quantity the quantity id it judges ({@code co2}, {@code temperature} ...)
     * @param roomKinds room kinds it judges; empty or absent for every room
     * @param devices device id glob ({@code *} any run, {@code ?} one character), default {@code *}
     * @param exceptDevices device id glob left out, default none
     * @param lessonsOnly judged only during lesson hours, default false
     * @param disabled in {@code rules}: switches the rule of this id off for the whole school
     * @param levels one or more severities, each with its condition
     */
    public record RuleSettings(String id, String quantity, List<String> roomKinds, String devices, String exceptDevices,
                               Boolean lessonsOnly, Boolean disabled, List<LevelSettings> levels) {
        public RuleSettings {
            roomKinds = roomKinds == null ? List.of() : List.copyOf(roomKinds);
            levels = levels == null ? List.of() : List.copyOf(levels);
            if (id != null && !id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("id: '" + SafeText.clean(id, 70) + "' must be 1-64 of a-z, 0-9, '.', '_', '-'");
            }
            if (Boolean.TRUE.equals(disabled)) {
                if (quantity != null || !levels.isEmpty()) {
                    throw new IllegalArgumentException("disabled: a rule switched off has no quantity and no levels");
                }
            } else {
                if (quantity == null) {
                    throw new IllegalArgumentException("quantity: missing (one of " + quantityIds() + ")");
                }
                if (Quantity.byId(quantity).isEmpty()) {
                    throw new IllegalArgumentException("quantity: unknown quantity '" + SafeText.clean(quantity, 40)
                            + "' (one of " + quantityIds() + ")");
                }
                if (levels.isEmpty()) {
                    throw new IllegalArgumentException("levels: a rule needs at least one level");
                }
                for (int i = 0; i < roomKinds.size(); i++) {
                    requireKind("roomKinds[" + i + "]", roomKinds.get(i));
                }
            }
        }

        boolean switchedOff() {
            return Boolean.TRUE.equals(disabled);
        }

        Rule toRule(String ruleId) {
            List<RuleLevel> built = new ArrayList<>();
            for (LevelSettings level : levels) {
                built.add(level.toLevel());
            }
            return new Rule(ruleId, Quantity.byId(quantity).orElseThrow(), Set.copyOf(roomKinds), devices, exceptDevices,
                    Boolean.TRUE.equals(lessonsOnly), built);
        }

        private static List<String> quantityIds() {
            return java.util.Arrays.stream(Quantity.values()).map(Quantity::id).toList();
        }
    }

    /**
     * One severity of a rule: a condition and how long it must hold.
     *
     * @param severity {@code warning}, {@code minor}, {@code major} or {@code critical}
     * @param condition {@code above}, {@code below} (limit, hysteresis), {@code outside} (low, high,
     *                  hysteresis), {@code meanAbove} (windowMinutes, limit, hysteresis, energy),
     *                  {@code risesFaster} (perMinute), {@code unchanged} (readings), {@code silent} (afterMinutes)
     * @param hysteresis how far back past the limit the value must go to let go, default 0
     * @param energy {@code meanAbove} of sound levels: an energy mean (LAeq), default false
     * @param forMinutes minimum duration before the level is active, default 0 (or {@code forSeconds})
     */
    public record LevelSettings(String severity, String condition, Double limit, Double low, Double high, Double hysteresis,
                                Double windowMinutes, Boolean energy, Double perMinute, Integer readings,
                                Double afterMinutes, Double forMinutes, Double forSeconds) {
        private static final Map<String, Set<String>> PARAMETERS = Map.of(
                "above", Set.of("limit", "hysteresis"),
                "below", Set.of("limit", "hysteresis"),
                "outside", Set.of("low", "high", "hysteresis"),
                "meanAbove", Set.of("windowMinutes", "limit", "hysteresis", "energy"),
                "risesFaster", Set.of("perMinute"),
                "unchanged", Set.of("readings"),
                "silent", Set.of("afterMinutes"));

        public LevelSettings {
            if (severity == null || Severity.byId(severity).isEmpty()) {
                throw new IllegalArgumentException("severity: " + (severity == null ? "missing" : "unknown severity '"
                        + SafeText.clean(severity, 20) + "'") + " (warning, minor, major or critical)");
            }
            if (condition == null || !PARAMETERS.containsKey(condition)) {
                throw new IllegalArgumentException("condition: " + (condition == null ? "missing" : "unknown condition '"
                        + SafeText.clean(condition, 20) + "'") + " (one of " + new java.util.TreeSet<>(PARAMETERS.keySet()) + ")");
            }
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("limit", limit);
            given.put("low", low);
            given.put("high", high);
            given.put("hysteresis", hysteresis);
            given.put("windowMinutes", windowMinutes);
            given.put("energy", energy);
            given.put("perMinute", perMinute);
            given.put("readings", readings);
            given.put("afterMinutes", afterMinutes);
            Set<String> allowed = PARAMETERS.get(condition);
            given.forEach((name, value) -> {
                if (value != null && !allowed.contains(name)) {
                    throw new IllegalArgumentException(name + ": not a parameter of condition '" + condition + "' (it takes "
                            + new java.util.TreeSet<>(allowed) + ")");
                }
            });
            if (forMinutes != null && forSeconds != null) {
                throw new IllegalArgumentException("forMinutes and forSeconds: give one of them");
            }
            toLevel(severity, condition, limit, low, high, hysteresis, windowMinutes, energy, perMinute, readings,
                    afterMinutes, forMinutes, forSeconds);
        }

        RuleLevel toLevel() {
            return toLevel(severity, condition, limit, low, high, hysteresis, windowMinutes, energy, perMinute, readings,
                    afterMinutes, forMinutes, forSeconds);
        }

        private static RuleLevel toLevel(String severity, String condition, Double limit, Double low, Double high,
                                         Double hysteresis, Double windowMinutes, Boolean energy, Double perMinute,
                                         Integer readings, Double afterMinutes, Double forMinutes, Double forSeconds) {
            double h = hysteresis == null ? 0 : hysteresis;
            Condition built;
            try {
                built = switch (condition) {
                    case "above" -> new Condition.Above(required("limit", limit), h);
                    case "below" -> new Condition.Below(required("limit", limit), h);
                    case "outside" -> new Condition.Outside(required("low", low), required("high", high), h);
                    case "meanAbove" -> new Condition.MeanAbove(minutes("windowMinutes", required("windowMinutes", windowMinutes)),
                            required("limit", limit), h, Boolean.TRUE.equals(energy));
                    case "risesFaster" -> new Condition.RisesFaster(required("perMinute", perMinute));
                    case "unchanged" -> new Condition.Unchanged(readings == null ? missing("readings") : readings);
                    default -> new Condition.Silent(minutes("afterMinutes", required("afterMinutes", afterMinutes)));
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().contains(":") ? e.getMessage() : condition + ": " + e.getMessage());
            }
            long forMillis = forSeconds != null ? Math.round(forSeconds * 1000)
                    : forMinutes != null ? minutes("forMinutes", forMinutes) : 0;
            if (forMillis < 0) {
                throw new IllegalArgumentException("forMinutes: must not be negative");
            }
            return new RuleLevel(Severity.byId(severity).orElseThrow(), built, forMillis);
        }

        private static double required(String name, Double value) {
            if (value == null || value.isNaN() || value.isInfinite()) {
                throw new IllegalArgumentException(name + ": " + (value == null ? "missing" : "must be a finite number"));
            }
            return value;
        }

        private static int missing(String name) {
            throw new IllegalArgumentException(name + ": missing");
        }

        private static long minutes(String name, double minutes) {
            if (!(minutes >= 0) || minutes > 60 * 24 * 31) {
                throw new IllegalArgumentException(name + ": must be 0 to 44640 (31 days), not " + minutes);
            }
            return Math.round(minutes * 60_000);
        }
    }

    /**
     * A change of one rule for a room kind or one room.
     *
     * @param roomKind the kind it applies to; or
     * @param room the room it applies to (exactly one of the two)
     * @param rule the id of the rule it changes
     * @param disabled true to switch the rule off there
     * @param replacement the rule to use there instead (its id defaults to {@code rule})
     */
    public record OverrideSettings(String roomKind, String room, String rule, Boolean disabled, RuleSettings replacement) {
        public OverrideSettings {
            if ((roomKind == null) == (room == null)) {
                throw new IllegalArgumentException("give either roomKind or room");
            }
            if (roomKind != null) {
                requireKind("roomKind", roomKind);
            }
            if (room != null && !Ids.isValid(room)) {
                throw new IllegalArgumentException("room: invalid room id '" + SafeText.clean(room, 64) + "'");
            }
            if (rule == null || rule.isBlank()) {
                throw new IllegalArgumentException("rule: missing (the id of the rule it changes)");
            }
            if (Boolean.TRUE.equals(disabled) == (replacement != null)) {
                throw new IllegalArgumentException("give either disabled: true or a replacement");
            }
            if (replacement != null) {
                if (replacement.switchedOff()) {
                    throw new IllegalArgumentException("replacement.disabled: use disabled: true on the override instead");
                }
                if (replacement.id() != null && !replacement.id().equals(rule)) {
                    throw new IllegalArgumentException("replacement.id: '" + replacement.id() + "' must be the rule's id '"
                            + rule + "' (or left out)");
                }
                replacement.toRule(rule);
            }
        }

        RuleOverride toOverride() {
            return new RuleOverride(roomKind, room, rule, replacement == null ? null : replacement.toRule(rule));
        }
    }
}
