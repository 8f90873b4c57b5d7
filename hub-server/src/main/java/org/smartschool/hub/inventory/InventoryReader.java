package org.smartschool.hub.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.EquipmentStatus;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.InvalidRegistryException;
import org.smartschool.hub.registry.Location;
import org.smartschool.hub.registry.MaintenanceEntry;
import org.smartschool.hub.registry.MaintenanceKind;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;

/**
 * Reads an {@code inventory.yaml} into a {@link Registry}. Any problem fails the whole file with an
 * {@link InventoryException} naming the file, the line and the key; nothing is half-read. The format
 * is shown by {@code hub-server/config/inventory.example.yaml} and written by {@link InventoryWriter}.
 *
 * <p>The same reader parses the bodies of the registry API ({@link #room}, {@link #equipment},
 * {@link #maintenanceEntry}), so a file and a request obey one set of rules.
 */
public final class InventoryReader {
    public static final int FORMAT_VERSION = 1;

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private InventoryReader() {
    }

    public static Registry read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InventoryException(file.toString(), 0, "", "cannot read: " + e.getMessage(), e);
        }
        return read(file.toString(), bytes);
    }

    /** @param source the file name (or what stands for it) for messages */
    public static Registry read(String source, byte[] yaml) {
        Node root = parse(source, yaml);
        if (!root.json.isObject()) {
            throw root.fail("the document must be a mapping with 'district' and 'schools'");
        }
        root.allow("version", "district", "schools");
        root.optional("version").ifPresent(v -> {
            if (v.integer() != FORMAT_VERSION) {
                throw v.fail("this hub reads inventory version " + FORMAT_VERSION);
            }
        });
        Node district = root.required("district");
        district.allow("id", "name");
        List<School> schools = root.list("schools", InventoryReader::school);
        return root.build(() -> new Registry(district.required("id").text(),
                district.optional("name").map(Node::text).orElse(null), schools), Function.identity());
    }

    /** A room as the API's request body gives it (JSON is YAML); its equipment is not part of it. */
    public static Room room(String source, byte[] body) {
        Node node = parse(source, body);
        return roomOf(node, false);
    }

    /** Equipment as the API's request body gives it; its maintenance log is not part of it. */
    public static Equipment equipment(String source, byte[] body) {
        Node node = parse(source, body);
        return equipmentOf(node, false);
    }

    public static MaintenanceEntry maintenanceEntry(String source, byte[] body) {
        return maintenance(parse(source, body));
    }

    private static Node parse(String source, byte[] yaml) {
        LineIndex lines;
        JsonNode tree;
        try {
            lines = LineIndex.of(YAML, yaml);
            tree = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InventoryException(source, at == null ? 0 : at.getLineNr(), "",
                    "not valid YAML: " + SafeText.clean(e.getOriginalMessage(), 200), e);
        } catch (IOException e) {
            throw new InventoryException(source, 0, "", "cannot read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InventoryException(source, 0, "", "the document is empty", null);
        }
        if (!tree.isObject()) {
            throw new InventoryException(source, 1, "", "the document must be a mapping of keys to values", null);
        }
        return new Node(source, lines, "", tree);
    }

    private static School school(Node n) {
        n.allow("id", "name", "address", "location", "timeZone", "buildings", "gateways");
        Location location = n.optional("location").map(l -> {
            l.allow("latitude", "longitude");
            return l.build(() -> new Location(l.required("latitude").decimal(), l.required("longitude").decimal()),
                    Function.identity());
        }).orElse(null);
        ZoneId zone = n.optional("timeZone").map(z -> {
            try {
                return ZoneId.of(z.text());
            } catch (DateTimeException e) {
                throw z.fail("unknown time zone '" + SafeText.clean(z.text(), 60) + "'; use a tz database name such as "
                        + School.DEFAULT_TIME_ZONE);
            }
        }).orElse(null);
        List<Building> buildings = n.list("buildings", InventoryReader::building);
        List<Gateway> gateways = n.list("gateways", g -> {
            g.allow("id", "name");
            return g.build(() -> new Gateway(g.textOrNull("id"), g.textOrNull("name")), Function.identity());
        });
        return n.build(() -> new School(n.textOrNull("id"), n.textOrNull("name"), n.textOrNull("address"),
                location, zone, buildings, gateways), Function.identity());
    }

    private static Building building(Node n) {
        n.allow("id", "name", "rooms");
        List<Room> rooms = n.list("rooms", r -> roomOf(r, true));
        return n.build(() -> new Building(n.textOrNull("id"), n.textOrNull("name"), rooms), Function.identity());
    }

    private static Room roomOf(Node n, boolean withEquipment) {
        if (withEquipment) {
            n.allow("id", "name", "kind", "floor", "capacity", "equipment");
        } else {
            n.allow("id", "name", "kind", "floor", "capacity");
        }
        RoomKind kind = n.optional("kind").map(k -> RoomKind.byId(k.text())
                .orElseThrow(() -> k.fail("unknown room kind '" + SafeText.clean(k.text(), 40) + "'; one of " + RoomKind.names())))
                .orElse(null);
        int floor = n.optional("floor").map(Node::integer).orElse(0);
        int capacity = n.optional("capacity").map(Node::integer).orElse(0);
        List<Equipment> equipment = withEquipment ? n.list("equipment", e -> equipmentOf(e, true)) : List.of();
        return n.build(() -> new Room(n.textOrNull("id"), n.textOrNull("name"), kind, floor, capacity, equipment),
                Function.identity());
    }

    private static Equipment equipmentOf(Node n, boolean withLog) {
        List<String> keys = new ArrayList<>(List.of("id", "type", "model", "serialNumber", "installed", "warrantyEnd", "status"));
        if (withLog) {
            keys.add("maintenance");
        }
        n.allow(keys.toArray(String[]::new));
        LocalDate installed = n.optional("installed").map(Node::date).orElse(null);
        LocalDate warrantyEnd = n.optional("warrantyEnd").map(Node::date).orElse(null);
        EquipmentStatus status = n.optional("status").map(s -> EquipmentStatus.byId(s.text())
                .orElseThrow(() -> s.fail("unknown status '" + SafeText.clean(s.text(), 40) + "'; one of " + EquipmentStatus.names())))
                .orElse(null);
        List<MaintenanceEntry> log = withLog ? n.list("maintenance", InventoryReader::maintenance) : List.of();
        return n.build(() -> new Equipment(n.textOrNull("id"), n.textOrNull("type"), n.textOrNull("model"),
                n.textOrNull("serialNumber"), installed, warrantyEnd, status, log), Function.identity());
    }

    private static MaintenanceEntry maintenance(Node n) {
        n.allow("date", "kind", "by", "note");
        LocalDate date = n.optional("date").map(Node::date).orElse(null);
        MaintenanceKind kind = n.optional("kind").map(k -> MaintenanceKind.byId(k.text())
                .orElseThrow(() -> k.fail("unknown maintenance kind '" + SafeText.clean(k.text(), 40) + "'; one of "
                        + MaintenanceKind.names())))
                .orElse(null);
        return n.build(() -> new MaintenanceEntry(date, kind, n.textOrNull("by"), n.textOrNull("note")), Function.identity());
    }

    /** A node of the document with its path, so that every failure can name its key and line. */
    private static final class Node {
        final String source;
        final LineIndex lines;
        final String path;
        final JsonNode json;

        Node(String source, LineIndex lines, String path, JsonNode json) {
            this.source = source;
            this.lines = lines;
            this.path = path;
            this.json = json;
        }

        InventoryException fail(String problem) {
            return at(path, problem, null);
        }

        InventoryException at(String key, String problem, Throwable cause) {
            return new InventoryException(source, lines.line(key), key, problem, cause);
        }

        String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        /** Refuses keys other than {@code keys}: a misspelt key would otherwise be silently ignored. */
        void allow(String... keys) {
            if (!json.isObject()) {
                throw fail("expected a mapping of keys to values");
            }
            Set<String> allowed = Set.of(keys);
            Iterator<String> names = json.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw at(child(name), "unknown key; expected one of " + List.of(keys), null);
                }
            }
        }

        Optional<Node> optional(String key) {
            JsonNode value = json.get(key);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(new Node(source, lines, child(key), value));
        }

        Node required(String key) {
            return optional(key).orElseThrow(() -> at(child(key), key + " is required", null));
        }

        String textOrNull(String key) {
            return optional(key).map(Node::text).orElse(null);
        }

        /** Any scalar as text: a serial number written 20240815 is text too. */
        String text() {
            if (!json.isValueNode()) {
                throw fail("expected a single value, not a " + (json.isArray() ? "list" : "mapping"));
            }
            return json.asText();
        }

        int integer() {
            if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                throw fail("expected a whole number: " + shown());
            }
            return json.intValue();
        }

        double decimal() {
            if (!json.isNumber()) {
                throw fail("expected a number: " + shown());
            }
            return json.doubleValue();
        }

        /** The value as the file has it, for a message. */
        String shown() {
            return SafeText.clean(json.isValueNode() ? json.asText() : json.toString(), 40);
        }

        LocalDate date() {
            try {
                return LocalDate.parse(text());
            } catch (DateTimeParseException e) {
                throw fail("expected a date YYYY-MM-DD: " + SafeText.clean(text(), 40));
            }
        }

        <T> List<T> list(String key, Function<Node, T> item) {
            Optional<Node> list = optional(key);
            if (list.isEmpty()) {
                return List.of();
            }
            Node n = list.get();
            if (!n.json.isArray()) {
                throw n.fail("expected a list");
            }
            List<T> out = new ArrayList<>(n.json.size());
            for (int i = 0; i < n.json.size(); i++) {
                out.add(item.apply(new Node(source, lines, n.path + "[" + i + "]", n.json.get(i))));
            }
            return out;
        }

        /** Builds the registry object; a rule it breaks is reported at the key it names. */
        <T, R> R build(Supplier<T> constructor, Function<T, R> then) {
            try {
                return then.apply(constructor.get());
            } catch (InvalidRegistryException e) {
                throw at(child(e.field()), e.getMessage(), e);
            }
        }
    }
}
