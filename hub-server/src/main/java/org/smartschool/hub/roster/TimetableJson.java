package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A timetable as the state database keeps it (JSON; no personal data). */
public final class TimetableJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TimetableJson() {
    }

    public static String write(Timetable t) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode sessions = root.putArray("sessions");
        t.sessions().forEach(s -> sessions.addObject().put("id", s.id()).put("start", s.start().toString()).put("end", s.end().toString()));
        ArrayNode classes = root.putArray("classes");
        t.classes().forEach(c -> {
            ObjectNode o = classes.addObject().put("id", c.id()).put("name", c.name()).put("level", c.level().id()).put("room", c.room());
            c.sessions().forEach(o.putArray("sessions")::add);
        });
        ArrayNode periods = root.putArray("periods");
        t.periods().forEach(p -> periods.addObject().put("class", p.classId()).put("day", p.day().name()).put("session", p.session())
                .put("id", p.id()).put("start", p.start().toString()).put("minutes", p.minutes()).put("room", p.room()));
        ObjectNode term = root.putObject("term").put("name", t.term().name()).put("schoolYear", t.term().schoolYear())
                .put("from", t.term().from().toString()).put("to", t.term().to().toString());
        new TreeSet<>(t.term().days()).forEach(d -> term.withArray("days").add(d.name()));
        t.term().noSchool().forEach(d -> term.withArray("noSchool").add(d.toString()));
        return root.toString();
    }

    public static Timetable read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored timetable is not JSON", e);
        }
        List<Session> sessions = new ArrayList<>();
        root.path("sessions").forEach(s -> sessions.add(new Session(s.path("id").asText(), LocalTime.parse(s.path("start").asText()),
                LocalTime.parse(s.path("end").asText()))));
        List<SchoolClass> classes = new ArrayList<>();
        root.path("classes").forEach(c -> {
            List<String> ids = new ArrayList<>();
            c.path("sessions").forEach(s -> ids.add(s.asText()));
            classes.add(new SchoolClass(c.path("id").asText(), c.path("name").asText(),
                    ClassLevel.byId(c.path("level").asText()).orElseThrow(), c.path("room").isNull() ? null : c.path("room").asText(null),
                    ids));
        });
        List<Period> periods = new ArrayList<>();
        root.path("periods").forEach(p -> periods.add(new Period(p.path("class").asText(), DayOfWeek.valueOf(p.path("day").asText()),
                p.path("session").asText(), p.path("id").asText(), LocalTime.parse(p.path("start").asText()), p.path("minutes").asInt(),
                p.path("room").asText())));
        JsonNode term = root.path("term");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        term.path("days").forEach(d -> days.add(DayOfWeek.valueOf(d.asText())));
        Set<LocalDate> noSchool = new TreeSet<>();
        term.path("noSchool").forEach(d -> noSchool.add(LocalDate.parse(d.asText())));
        return new Timetable(sessions, classes, periods, new Term(term.path("name").asText(), term.path("schoolYear").asText(),
                LocalDate.parse(term.path("from").asText()), LocalDate.parse(term.path("to").asText()), days,
                new TreeSet<>(noSchool)));
    }
}
