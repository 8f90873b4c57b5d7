package org.smartschool.hub.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.MaintenanceEntry;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.School;

/**
 * Writes a {@link Registry} as {@code inventory.yaml} that {@link InventoryReader} reads back to an
 * equal registry. Gateway credentials are not part of a registry and so never appear.
 */
public final class InventoryWriter {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "0042" stays text: a serial number must not come back as the number 42
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES) // a long note stays on one line
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InventoryWriter() {
    }

    public static String write(Registry registry) {
        ObjectNode root = NODES.objectNode();
        root.put("version", InventoryReader.FORMAT_VERSION);
        ObjectNode district = root.putObject("district").put("id", registry.district());
        putIfPresent(district, "name", registry.districtName());
        root.set("schools", list(registry.schools(), InventoryWriter::school));
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the inventory", e);
        }
    }

    private static ObjectNode school(School s) {
        ObjectNode n = NODES.objectNode().put("id", s.id()).put("name", s.name());
        putIfPresent(n, "address", s.address());
        if (s.location() != null) {
            n.putObject("location").put("latitude", s.location().latitude()).put("longitude", s.location().longitude());
        }
        n.put("timeZone", s.timeZone().getId());
        putList(n, "gateways", s.gateways(), InventoryWriter::gateway);
        putList(n, "buildings", s.buildings(), InventoryWriter::building);
        return n;
    }

    private static ObjectNode gateway(Gateway g) {
        ObjectNode n = NODES.objectNode().put("id", g.id());
        putIfPresent(n, "name", g.name());
        return n;
    }

    private static ObjectNode building(Building b) {
        ObjectNode n = NODES.objectNode().put("id", b.id());
        putIfPresent(n, "name", b.name());
        putList(n, "rooms", b.rooms(), InventoryWriter::room);
        return n;
    }

    /** A room without its equipment: the API's view of one room. */
    public static ObjectNode roomFields(Room r) {
        ObjectNode n = NODES.objectNode().put("id", r.id());
        putIfPresent(n, "name", r.name());
        return n.put("kind", r.kind().id()).put("floor", r.floor()).put("capacity", r.capacity());
    }

    private static ObjectNode room(Room r) {
        ObjectNode n = roomFields(r);
        putList(n, "equipment", r.equipment(), InventoryWriter::equipment);
        return n;
    }

    /** Equipment with its maintenance log. */
    public static ObjectNode equipment(Equipment e) {
        ObjectNode n = NODES.objectNode().put("id", e.id()).put("type", e.type());
        putIfPresent(n, "model", e.model());
        putIfPresent(n, "serialNumber", e.serialNumber());
        putIfPresent(n, "installed", e.installed() == null ? null : e.installed().toString());
        putIfPresent(n, "warrantyEnd", e.warrantyEnd() == null ? null : e.warrantyEnd().toString());
        n.put("status", e.status().id());
        putList(n, "maintenance", e.maintenance(), InventoryWriter::maintenance);
        return n;
    }

    public static ObjectNode maintenance(MaintenanceEntry m) {
        ObjectNode n = NODES.objectNode().put("date", m.date().toString()).put("kind", m.kind().id());
        putIfPresent(n, "by", m.by());
        putIfPresent(n, "note", m.note());
        return n;
    }

    private static void putIfPresent(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    private static <T> void putList(ObjectNode n, String key, List<T> items, Function<T, ObjectNode> each) {
        if (!items.isEmpty()) {
            n.set(key, list(items, each));
        }
    }

    private static <T> ArrayNode list(List<T> items, Function<T, ObjectNode> each) {
        ArrayNode out = NODES.arrayNode();
        items.forEach(item -> out.add(each.apply(item)));
        return out;
    }
}
