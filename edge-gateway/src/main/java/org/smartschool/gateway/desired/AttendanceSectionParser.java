package org.smartschool.gateway.desired;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.attendance.AttendancePlan;

/**
 * Reads the desired configuration's {@code attendance} section (docs/protocol.md 3.2) into an
 * {@link AttendancePlan}. Every problem is one line naming the key path
 * ({@code attendance.periods[2].start: not HH:mm}); a learner's id, a card hash and the card key are
 * personal data or secret and never appear in a message: the path names the index instead.
 */
final class AttendanceSectionParser {
    private static final Set<String> KEYS = Set.of("timeZone", "cardKey", "policy", "term", "days", "noSchool",
            "sessions", "classes", "periods", "learners", "revokedCards", "excuses");
    private static final Set<String> CARD_KEY_KEYS = Set.of("id", "secret");
    private static final Set<String> POLICY_KEYS = Set.of("graceMinutes", "cutoffMinutes", "debounceSeconds", "earlyMinutes");
    private static final Set<String> TERM_KEYS = Set.of("from", "to");
    private static final Set<String> SESSION_KEYS = Set.of("id", "start", "end");
    private static final Set<String> CLASS_KEYS = Set.of("id", "level", "room", "sessions");
    private static final Set<String> PERIOD_KEYS = Set.of("class", "day", "session", "id", "start", "minutes", "room");
    private static final Set<String> LEARNER_KEYS = Set.of("id", "class", "sections", "cards");
    private static final Set<String> EXCUSE_KEYS = Set.of("learner", "date", "session", "period");
    private static final Pattern LEARNER_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern CARD_HASH = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final Set<DayOfWeek> DEFAULT_DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY);

    private AttendanceSectionParser() {
    }

    /** @throws DesiredConfigException naming the key path of the first problem */
    static AttendancePlan parse(JsonNode node) {
        String at = "attendance";
        object(at, node, KEYS);
        ZoneId zone = ZoneId.of("Asia/Ho_Chi_Minh");
        if (node.has("timeZone")) {
            String z = text(at + ".timeZone", node.get("timeZone"));
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                throw new DesiredConfigException(at + ".timeZone: unknown time zone '" + SafeText.clean(z, 64) + "'");
            }
        }
        AttendancePlan.CardKey cardKey = cardKey(required(at, node, "cardKey"));
        AttendancePlan.Policy policy = policy(node.get("policy"));
        LocalDate from = null;
        LocalDate to = null;
        if (node.has("term")) {
            JsonNode term = node.get("term");
            object(at + ".term", term, TERM_KEYS);
            from = date(at + ".term.from", required(at + ".term", term, "from"));
            to = date(at + ".term.to", required(at + ".term", term, "to"));
            if (to.isBefore(from)) {
                throw new DesiredConfigException(at + ".term.to: before term.from");
            }
        }
        Set<DayOfWeek> days = DEFAULT_DAYS;
        if (node.has("days")) {
            days = EnumSet.noneOf(DayOfWeek.class);
            JsonNode list = list(at + ".days", node.get("days"));
            for (int i = 0; i < list.size(); i++) {
                days.add(day(at + ".days[" + i + "]", list.get(i)));
            }
        }
        Set<LocalDate> noSchool = new HashSet<>();
        if (node.has("noSchool")) {
            JsonNode list = list(at + ".noSchool", node.get("noSchool"));
            for (int i = 0; i < list.size(); i++) {
                noSchool.add(date(at + ".noSchool[" + i + "]", list.get(i)));
            }
        }
        Map<String, AttendancePlan.Session> sessions = sessions(node.get("sessions"));
        Map<String, AttendancePlan.SchoolClass> classes = classes(node.get("classes"), sessions);
        List<AttendancePlan.Period> periods = periods(node.get("periods"), sessions, classes);
        Map<String, AttendancePlan.Learner> learners = new HashMap<>();
        List<AttendancePlan.Learner> roster = learners(node.get("learners"), classes, learners);
        Set<String> revoked = new HashSet<>();
        if (node.has("revokedCards")) {
            JsonNode list = list(at + ".revokedCards", node.get("revokedCards"));
            for (int i = 0; i < list.size(); i++) {
                revoked.add(cardHash(at + ".revokedCards[" + i + "]", list.get(i)));
            }
        }
        List<AttendancePlan.Excuse> excuses = excuses(node.get("excuses"), sessions, learners);
        return new AttendancePlan(zone, cardKey, policy, from, to, days, noSchool, List.copyOf(sessions.values()),
                List.copyOf(classes.values()), periods, roster, revoked, excuses);
    }

    private static AttendancePlan.CardKey cardKey(JsonNode node) {
        String at = "attendance.cardKey";
        object(at, node, CARD_KEY_KEYS);
        String id = text(at + ".id", required(at, node, "id"));
        if (id.isEmpty() || id.length() > 64) {
            throw new DesiredConfigException(at + ".id: must be 1-64 characters");
        }
        JsonNode secretNode = required(at, node, "secret");
        if (!secretNode.isTextual()) {
            throw new DesiredConfigException(at + ".secret: must be text");
        }
        String secret = secretNode.asText();
        byte[] bytes;
        // what is wrong with its encoding, never what it holds
        if (secret.startsWith("hex:")) {
            try {
                bytes = java.util.HexFormat.of().parseHex(secret.substring(4));
            } catch (IllegalArgumentException e) {
                throw new DesiredConfigException(at + ".secret: not valid hex after 'hex:' (an even number of 0-9, a-f)");
            }
        } else if (secret.startsWith("base64:")) {
            try {
                bytes = java.util.Base64.getDecoder().decode(secret.substring(7));
            } catch (IllegalArgumentException e) {
                throw new DesiredConfigException(at + ".secret: not valid base64 after 'base64:'");
            }
        } else {
            throw new DesiredConfigException(at + ".secret: must start with 'base64:' or 'hex:'");
        }
        if (bytes.length < 16 || bytes.length > 64) {
            throw new DesiredConfigException(at + ".secret: must be 16-64 bytes, got " + bytes.length);
        }
        return new AttendancePlan.CardKey(SafeText.clean(id, 64), bytes);
    }

    private static AttendancePlan.Policy policy(JsonNode node) {
        AttendancePlan.Policy d = AttendancePlan.Policy.DEFAULTS;
        if (node == null) {
            return d;
        }
        String at = "attendance.policy";
        object(at, node, POLICY_KEYS);
        int grace = number(at + ".graceMinutes", node.get("graceMinutes"), d.graceMinutes(), 0, 240);
        int cutoff = number(at + ".cutoffMinutes", node.get("cutoffMinutes"), d.cutoffMinutes(), 0, 600);
        int debounce = number(at + ".debounceSeconds", node.get("debounceSeconds"), d.debounceSeconds(), 0, 3600);
        int early = number(at + ".earlyMinutes", node.get("earlyMinutes"), d.earlyMinutes(), 0, 240);
        if (cutoff < grace) {
            throw new DesiredConfigException(at + ".cutoffMinutes: must be at least graceMinutes (" + grace + ")");
        }
        return new AttendancePlan.Policy(grace, cutoff, debounce, early);
    }

    private static Map<String, AttendancePlan.Session> sessions(JsonNode node) {
        String at = "attendance.sessions";
        Map<String, AttendancePlan.Session> out = new java.util.LinkedHashMap<>();
        if (node == null) {
            out.put("morning", new AttendancePlan.Session("morning", LocalTime.of(7, 0), LocalTime.of(11, 25)));
            out.put("afternoon", new AttendancePlan.Session("afternoon", LocalTime.of(13, 30), LocalTime.of(17, 0)));
            return out;
        }
        JsonNode list = list(at, node);
        for (int i = 0; i < list.size(); i++) {
            String key = at + "[" + i + "]";
            JsonNode s = list.get(i);
            object(key, s, SESSION_KEYS);
            String id = id(key + ".id", required(key, s, "id"), "session");
            LocalTime start = time(key + ".start", required(key, s, "start"));
            LocalTime end = time(key + ".end", required(key, s, "end"));
            if (!end.isAfter(start)) {
                throw new DesiredConfigException(key + ".end: must be after start");
            }
            if (out.put(id, new AttendancePlan.Session(id, start, end)) != null) {
                throw new DesiredConfigException(key + ".id: session '" + id + "' is listed twice");
            }
        }
        return out;
    }

    private static Map<String, AttendancePlan.SchoolClass> classes(JsonNode node, Map<String, AttendancePlan.Session> sessions) {
        String at = "attendance.classes";
        Map<String, AttendancePlan.SchoolClass> out = new java.util.LinkedHashMap<>();
        JsonNode list = node == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode() : list(at, node);
        for (int i = 0; i < list.size(); i++) {
            String key = at + "[" + i + "]";
            JsonNode c = list.get(i);
            object(key, c, CLASS_KEYS);
            String id = id(key + ".id", required(key, c, "id"), "class");
            String levelText = c.has("level") ? text(key + ".level", c.get("level")) : "session";
            AttendancePlan.Level level = switch (levelText) {
                case "session" -> AttendancePlan.Level.SESSION;
                case "period" -> AttendancePlan.Level.PERIOD;
                default -> throw new DesiredConfigException(key + ".level: must be 'session' or 'period', not '"
                        + SafeText.clean(levelText, 32) + "'");
            };
            String room = null;
            List<String> classSessions = List.of();
            if (level == AttendancePlan.Level.SESSION) {
                room = id(key + ".room", required(key, c, "room"), "room");
                JsonNode ss = c.has("sessions") ? list(key + ".sessions", c.get("sessions")) : null;
                List<String> named = new ArrayList<>();
                if (ss == null) {
                    named.addAll(sessions.keySet()); // every session of the day
                } else {
                    for (int j = 0; j < ss.size(); j++) {
                        String s = text(key + ".sessions[" + j + "]", ss.get(j));
                        if (!sessions.containsKey(s)) {
                            throw new DesiredConfigException(key + ".sessions[" + j + "]: no session '" + SafeText.clean(s, 64)
                                    + "' in attendance.sessions");
                        }
                        named.add(s);
                    }
                }
                classSessions = named;
            } else if (c.has("room") || c.has("sessions")) {
                throw new DesiredConfigException(key + ": a period-level class has its rooms and times in attendance.periods");
            }
            if (out.put(id, new AttendancePlan.SchoolClass(id, level, room, classSessions)) != null) {
                throw new DesiredConfigException(key + ".id: class '" + id + "' is listed twice");
            }
        }
        return out;
    }

    private static List<AttendancePlan.Period> periods(JsonNode node, Map<String, AttendancePlan.Session> sessions,
                                                      Map<String, AttendancePlan.SchoolClass> classes) {
        String at = "attendance.periods";
        List<AttendancePlan.Period> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        JsonNode list = list(at, node);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = at + "[" + i + "]";
            JsonNode p = list.get(i);
            object(key, p, PERIOD_KEYS);
            String cls = text(key + ".class", required(key, p, "class"));
            AttendancePlan.SchoolClass c = classes.get(cls);
            if (c == null) {
                throw new DesiredConfigException(key + ".class: no class '" + SafeText.clean(cls, 64) + "' in attendance.classes");
            }
            if (c.level() != AttendancePlan.Level.PERIOD) {
                throw new DesiredConfigException(key + ".class: class '" + cls + "' is session-level");
            }
            DayOfWeek day = day(key + ".day", required(key, p, "day"));
            String session = text(key + ".session", required(key, p, "session"));
            if (!sessions.containsKey(session)) {
                throw new DesiredConfigException(key + ".session: no session '" + SafeText.clean(session, 64)
                        + "' in attendance.sessions");
            }
            String id = id(key + ".id", required(key, p, "id"), "period");
            LocalTime start = time(key + ".start", required(key, p, "start"));
            int minutes = number(key + ".minutes", p.get("minutes"), 45, 1, 600);
            if (start.plusMinutes(minutes).isBefore(start)) {
                throw new DesiredConfigException(key + ".minutes: the period runs past midnight");
            }
            String room = id(key + ".room", required(key, p, "room"), "room");
            if (!seen.add(cls + "|" + day + "|" + session + "|" + id)) {
                throw new DesiredConfigException(key + ".id: period '" + id + "' of class '" + cls + "' on " + day
                        + " is listed twice");
            }
            out.add(new AttendancePlan.Period(cls, day, session, id, start, minutes, room));
        }
        return out;
    }

    private static List<AttendancePlan.Learner> learners(JsonNode node, Map<String, AttendancePlan.SchoolClass> classes,
                                                         Map<String, AttendancePlan.Learner> byId) {
        String at = "attendance.learners";
        List<AttendancePlan.Learner> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        JsonNode list = list(at, node);
        Map<String, Integer> cards = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String key = at + "[" + i + "]";
            JsonNode l = list.get(i);
            object(key, l, LEARNER_KEYS);
            JsonNode idNode = required(key, l, "id");
            // personal data: the message names the index, never the value
            if (!idNode.isTextual() || !LEARNER_ID.matcher(idNode.asText()).matches()) {
                throw new DesiredConfigException(key + ".id: not a 12-digit national personal ID");
            }
            String id = idNode.asText();
            if (byId.containsKey(id)) {
                throw new DesiredConfigException(key + ".id: the same learner is listed twice");
            }
            String cls = text(key + ".class", required(key, l, "class"));
            if (!classes.containsKey(cls)) {
                throw new DesiredConfigException(key + ".class: no class '" + SafeText.clean(cls, 64) + "' in attendance.classes");
            }
            List<String> sections = new ArrayList<>();
            if (l.has("sections")) {
                JsonNode ss = list(key + ".sections", l.get("sections"));
                for (int j = 0; j < ss.size(); j++) {
                    String s = text(key + ".sections[" + j + "]", ss.get(j));
                    if (!classes.containsKey(s)) {
                        throw new DesiredConfigException(key + ".sections[" + j + "]: no class '" + SafeText.clean(s, 64)
                                + "' in attendance.classes");
                    }
                    sections.add(s);
                }
            }
            List<String> own = new ArrayList<>();
            if (l.has("cards")) {
                JsonNode cs = list(key + ".cards", l.get("cards"));
                for (int j = 0; j < cs.size(); j++) {
                    String hash = cardHash(key + ".cards[" + j + "]", cs.get(j));
                    Integer other = cards.putIfAbsent(hash, i);
                    if (other != null && other != i) {
                        throw new DesiredConfigException(key + ".cards[" + j + "]: the same card is attendance.learners["
                                + other + "]'s");
                    }
                    own.add(hash);
                }
            }
            AttendancePlan.Learner learner = new AttendancePlan.Learner(id, cls, sections, own);
            byId.put(id, learner);
            out.add(learner);
        }
        return out;
    }

    private static List<AttendancePlan.Excuse> excuses(JsonNode node, Map<String, AttendancePlan.Session> sessions,
                                                       Map<String, AttendancePlan.Learner> learners) {
        String at = "attendance.excuses";
        List<AttendancePlan.Excuse> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        JsonNode list = list(at, node);
        for (int i = 0; i < list.size(); i++) {
            String key = at + "[" + i + "]";
            JsonNode e = list.get(i);
            object(key, e, EXCUSE_KEYS);
            JsonNode learner = required(key, e, "learner");
            if (!learner.isTextual() || !learners.containsKey(learner.asText())) {
                throw new DesiredConfigException(key + ".learner: not a learner of attendance.learners");
            }
            LocalDate date = date(key + ".date", required(key, e, "date"));
            String session = text(key + ".session", required(key, e, "session"));
            if (!sessions.containsKey(session)) {
                throw new DesiredConfigException(key + ".session: no session '" + SafeText.clean(session, 64)
                        + "' in attendance.sessions");
            }
            JsonNode p = e.get("period");
            String period = p == null || p.isNull() ? null : id(key + ".period", p, "period");
            out.add(new AttendancePlan.Excuse(learner.asText(), date, session, period));
        }
        return out;
    }

    // ---- values ------------------------------------------------------------------------------------

    private static void object(String key, JsonNode node, Set<String> known) {
        if (node == null || !node.isObject()) {
            throw new DesiredConfigException(key + ": must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new DesiredConfigException(key + "." + SafeText.clean(name, 64) + ": unknown key; known keys are "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static JsonNode required(String key, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new DesiredConfigException(key + "." + name + ": missing");
        }
        return value;
    }

    private static JsonNode list(String key, JsonNode node) {
        if (!node.isArray()) {
            throw new DesiredConfigException(key + ": must be a list");
        }
        return node;
    }

    private static String text(String key, JsonNode node) {
        if (!node.isTextual()) {
            throw new DesiredConfigException(key + ": must be text");
        }
        return node.asText();
    }

    private static String id(String key, JsonNode node, String kind) {
        String value = text(key, node);
        if (!Ids.isValid(value)) {
            throw new DesiredConfigException(key + ": invalid " + kind + " id '" + SafeText.clean(value, 64) + "'");
        }
        return value;
    }

    private static String cardHash(String key, JsonNode node) {
        if (!node.isTextual() || !CARD_HASH.matcher(node.asText()).matches()) {
            throw new DesiredConfigException(key + ": not a card hash (43 characters of base64url)");
        }
        return node.asText();
    }

    private static int number(String key, JsonNode node, int fallback, int min, int max) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw new DesiredConfigException(key + ": must be a whole number from " + min + " to " + max);
        }
        return node.asInt();
    }

    private static LocalTime time(String key, JsonNode node) {
        String text = text(key, node);
        try {
            return LocalTime.parse(text, HH_MM);
        } catch (DateTimeParseException e) {
            throw new DesiredConfigException(key + ": not HH:mm");
        }
    }

    private static LocalDate date(String key, JsonNode node) {
        String text = text(key, node);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new DesiredConfigException(key + ": not YYYY-MM-DD");
        }
    }

    private static DayOfWeek day(String key, JsonNode node) {
        String text = text(key, node);
        try {
            return DayOfWeek.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new DesiredConfigException(key + ": not a day of the week (MONDAY ... SUNDAY)");
        }
    }
}
