package org.smartschool.hub.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.hub.inventory.InventoryWriter;
import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;

/**
 * A school of any size for attendance tests, as the hub imports it: {@code classes} homeroom classes
 * ({@code c01}, ... in rooms {@code r01}, ..., the morning session), {@code learners} learners spread over them
 * in turn, each with one active card; every {@code revokedEvery}-th learner also has an older, revoked card
 * (a lost one). The hub's CSV roster files ({@code docs/roster.md}) and a registry inventory with those rooms.
 *
 * <p>Learner ids have the national personal ID's shape and start with {@code 000}, a province code that does not
 * exist; card UIDs are 7 bytes (RC522 / PN532 print them as 14 hex digits).
 */
public final class GeneratedRoster {
    /** A learner: id, homeroom class and room, the active card's UID and the revoked one's (or null). */
    public record Learner(int index, String id, String classId, String room, String uid, String revokedUid) {
    }

    private final String school;
    private final int classes;
    private final LocalDate day;
    private final List<Learner> learners;

    private GeneratedRoster(String school, int classes, LocalDate day, List<Learner> learners) {
        this.school = school;
        this.classes = classes;
        this.day = day;
        this.learners = List.copyOf(learners);
    }

    /**
     * @param day a day of the generated term (which runs 30 days either side of it, every day of the week a school day)
     * @param revokedEvery every this-th learner (from the fifth) also has a revoked card; 0: none has
     */
    public static GeneratedRoster of(String school, int learners, int classes, LocalDate day, int revokedEvery) {
        if (classes < 1 || classes > 99 || learners < 1 || learners > 999_999) {
            throw new IllegalArgumentException("1-99 classes and 1-999999 learners, got " + classes + " and " + learners);
        }
        List<Learner> out = new ArrayList<>(learners);
        for (int i = 0; i < learners; i++) {
            int c = i % classes + 1;
            boolean revoked = revokedEvery > 0 && i % revokedEvery == 5 % revokedEvery;
            out.add(new Learner(i, String.format("000%03d%06d", c, i), classId(c), room(c), uid(0x04, i),
                    revoked ? uid(0x08, i) : null));
        }
        return new GeneratedRoster(school, classes, day, out);
    }

    /** A card no learner of any generated roster has (a visitor's, a card from another school). */
    public static String unknownUid(int n) {
        return uid(0x0C, n);
    }

    private static String uid(int first, int n) {
        // a marker byte, then the number spread over 6 bytes so neighbouring cards differ in many digits
        long mixed = (n * 0x9E3779B1L) & 0xFFFF_FFFFL;
        return String.format("%02X%04X%08X", first, n & 0xFFFF, mixed);
    }

    private static String classId(int c) {
        return String.format("c%02d", c);
    }

    private static String room(int c) {
        return String.format("r%02d", c);
    }

    public String school() {
        return school;
    }

    public List<Learner> learners() {
        return learners;
    }

    /** The homerooms, which are also the doors: r01, r02, ... */
    public List<String> rooms() {
        List<String> out = new ArrayList<>(classes);
        for (int c = 1; c <= classes; c++) {
            out.add(room(c));
        }
        return out;
    }

    /** The hub's CSV files ({@code format=csv}): classes, learners, cards (revoked ones too) and the term. */
    public Map<String, byte[]> csvFiles() {
        StringBuilder classesCsv = new StringBuilder("class,name,level,room,sessions\n");
        for (int c = 1; c <= classes; c++) {
            classesCsv.append(classId(c)).append(",Lớp ").append(classId(c).toUpperCase()).append(",session,")
                    .append(room(c)).append(",morning\n");
        }
        StringBuilder learnersCsv = new StringBuilder("learner_id,name,class,sections\n");
        StringBuilder cardsCsv = new StringBuilder("learner_id,uid,status\n");
        for (Learner l : learners) {
            learnersCsv.append(l.id()).append(",Học sinh ").append(l.index() + 1).append(',').append(l.classId()).append(",\n");
            cardsCsv.append(l.id()).append(',').append(l.uid()).append(",active\n");
            if (l.revokedUid() != null) {
                cardsCsv.append(l.id()).append(',').append(l.revokedUid()).append(",revoked\n");
            }
        }
        String term = "term,school_year,from,to,days\nHọc kỳ I,2026-2027," + day.minusDays(30) + "," + day.plusDays(30)
                + ",MONDAY-SUNDAY\n";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("classes.csv", classesCsv.toString().getBytes(StandardCharsets.UTF_8));
        files.put("learners.csv", learnersCsv.toString().getBytes(StandardCharsets.UTF_8));
        files.put("cards.csv", cardsCsv.toString().getBytes(StandardCharsets.UTF_8));
        files.put("term.csv", term.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The school with its homerooms (and its gateway) as a registry inventory file in {@code dir}. */
    public Path writeInventory(Path dir, String schoolName, String gatewayId) throws java.io.IOException {
        return writeInventory(dir.resolve("inventory-" + school + ".yaml"), List.of(registered(schoolName, gatewayId)));
    }

    /** The school as the registry knows it: its homerooms in one building, and its gateway. */
    public School registered(String schoolName, String gatewayId) {
        List<Room> rooms = new ArrayList<>();
        for (String room : rooms()) {
            rooms.add(new Room(room, "Phòng " + room, RoomKind.CLASSROOM, 1, 40, List.of()));
        }
        return new School(school, schoolName, null, null, null, List.of(new Building("bldg-1", "Dãy A", rooms)),
                List.of(new Gateway(gatewayId, null)));
    }

    /** Schools ({@link #registered}) as one registry inventory file. */
    public static Path writeInventory(Path file, List<School> schools) throws java.io.IOException {
        Files.writeString(file, InventoryWriter.write(new Registry("generated-district", "Generated district", schools)));
        return file;
    }
}
