package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.School;
import org.smartschool.hub.testsupport.Inventories;

/** The registry the demo loads knows every simulated school's rooms and their kinds. */
class DemoInventoryTest {

    /**
     * Verifies that the example inventory already has every room of the default demo (three schools of
     * eight classrooms, the lab and the building's meter room) with the simulated kinds, so the demo
     * writes it as shipped.
     */
    @Test
    void exampleInventoryHasEveryRoomOfTheDefaultDemo(@TempDir Path dir) throws Exception {
        Registry example = InventoryReader.read(Inventories.example());
        for (DemoSchool school : DemoSchool.district(3)) {
            Map<String, String> kinds = kinds(example.school(school.id()).orElseThrow());
            DemoInventory.simulatedRooms(8).forEach((room, kind) -> assertThat(kinds).containsEntry(room, kind.id()));
        }
        assertThat(DemoInventory.complete(example, DemoSchool.district(3), 8)).isEqualTo(example);

        Path written = DemoDistrict.writeInventory(dir, DemoSchool.district(3), 8);
        assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(Inventories.example()));
    }

    /**
     * Verifies that a bigger district gets the schools and rooms the example lacks, with their kinds, in a
     * file that loads again, and that a kept file keeps its edits and only gains what is missing.
     */
    @Test
    void addsTheSchoolsAndRoomsTheExampleLacks(@TempDir Path dir) throws Exception {
        Path file = DemoDistrict.writeInventory(dir, DemoSchool.district(5), 12);
        Registry loaded = InventoryReader.read(file);

        assertThat(loaded.schools()).extracting(School::id)
                .containsExactly("school-01", "school-02", "school-03", "school-04", "school-05");
        Map<String, String> school5 = kinds(loaded.school("school-05").orElseThrow());
        assertThat(school5).hasSize(12 + 1 + 2).containsEntry("r101", "classroom").containsEntry("r112", "classroom")
                .containsEntry("lab", "lab").containsEntry("bldg-1", "technical").containsEntry("bldg-2", "technical");
        assertThat(loaded.school("school-05").orElseThrow().gateways()).extracting(g -> g.id()).containsExactly("gw-school-05");
        Map<String, String> school1 = kinds(loaded.school("school-01").orElseThrow());
        assertThat(school1).containsEntry("r112", "classroom").containsEntry("bldg-2", "technical")
                .containsEntry("thu-vien", "library"); // the example's own rooms stay

        // the user turns r103 into a lab; a later run with more schools keeps that
        Files.writeString(file, Files.readString(file).replaceFirst(
                "(id: \"?r103\"?\\n(\\s+)name: [^\\n]*\\n\\s+)kind: \"?classroom\"?", "$1kind: lab"));
        assertThat(kinds(InventoryReader.read(file).school("school-01").orElseThrow())).containsEntry("r103", "lab");
        DemoDistrict.writeInventory(dir, DemoSchool.district(6), 12);
        Registry again = InventoryReader.read(file);
        assertThat(kinds(again.school("school-01").orElseThrow())).containsEntry("r103", "lab");
        assertThat(again.school("school-06")).isPresent();
    }

    private static Map<String, String> kinds(School school) {
        Map<String, String> out = new TreeMap<>();
        school.buildings().forEach(b -> b.rooms().forEach((Room r) -> out.put(r.id(), r.kind().id())));
        return out;
    }

    @Test
    void simulatedRoomsAreTheSimulationsRooms() {
        SchoolSimulation sim = new SchoolSimulation("school-01", 12, 1, 1_780_000_000_000L);
        Map<String, ?> rooms = DemoInventory.simulatedRooms(12);
        assertThat(sim.devices()).allSatisfy(d -> assertThat(rooms).containsKey(d.room()));
        assertThat(rooms.keySet()).containsAll(sim.rooms());
    }
}
