package org.smartschool.hub.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;

/**
 * The registry the demo loads: the example inventory (three schools of eight classrooms, the very rooms
 * and devices the simulation has), completed with every simulated school and room it lacks, so that the
 * registry knows the kind of every room the demo simulates: the gateways' school rules need it
 * ({@code rules.roomKinds} of their desired configuration).
 */
final class DemoInventory {
    /** Rooms the example inventory lacks go into a building of this id in their school. */
    static final String EXTRA_BUILDING = "demo-extra";

    private DemoInventory() {
    }

    /** The simulated rooms of a school of {@code rooms} classrooms with a lab: room id -> kind. */
    static Map<String, RoomKind> simulatedRooms(int rooms) {
        Map<String, RoomKind> out = new LinkedHashMap<>();
        for (int i = 1; i <= rooms; i++) {
            out.put(SchoolSimulation.roomId(i), RoomKind.CLASSROOM);
        }
        out.put("lab", RoomKind.LAB); // the lab's fridge, hood, gas and smoke detectors
        for (int b = 1; b <= SchoolLayout.of(rooms).buildings(); b++) {
            out.put(SchoolSimulation.buildingId(b), RoomKind.TECHNICAL); // the building's power meter
        }
        return out;
    }

    /** {@code example} with the schools and rooms of the demo district it lacks; equal to it when it lacks none. */
    static Registry complete(Registry example, List<DemoSchool> schools, int roomsPerSchool) {
        Map<String, School> bySchool = new LinkedHashMap<>();
        example.schools().forEach(s -> bySchool.put(s.id(), s));
        Map<String, RoomKind> wanted = simulatedRooms(roomsPerSchool);
        for (DemoSchool demo : schools) {
            School known = bySchool.get(demo.id());
            Set<String> present = known == null ? Set.of() : known.buildings().stream()
                    .flatMap(b -> b.rooms().stream()).map(Room::id).collect(Collectors.toSet());
            List<Room> missing = new ArrayList<>();
            wanted.forEach((id, kind) -> {
                if (!present.contains(id)) {
                    missing.add(new Room(id, null, kind, 1, kind == RoomKind.CLASSROOM ? 40 : 0, List.of()));
                }
            });
            if (missing.isEmpty()) {
                continue;
            }
            Building extra = new Building(EXTRA_BUILDING, "Phòng của trường mô phỏng", missing);
            if (known == null) {
                bySchool.put(demo.id(), new School(demo.id(), demo.name(), null, null, null, List.of(extra),
                        List.of(new Gateway(demo.gatewayId(), null))));
            } else {
                List<Building> buildings = new ArrayList<>(known.buildings());
                buildings.add(extra);
                bySchool.put(demo.id(), new School(known.id(), known.name(), known.address(), known.location(),
                        known.timeZone(), buildings, known.gateways()));
            }
        }
        return new Registry(example.district(), example.districtName(), List.copyOf(bySchool.values()));
    }
}
