package org.smartschool.hub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.EquipmentStatus;
import org.smartschool.hub.registry.MaintenanceKind;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;
import org.smartschool.hub.testsupport.Inventories;

class InventoryReaderTest {

    private static final String SMALL = """
            version: 1
            district:
              id: quan-3
              name: Phòng GD&ĐT Quận 3
            schools:
              - id: school-01
                name: THCS Nguyễn Du
                address: 139 Lý Chính Thắng, Phường Võ Thị Sáu, Quận 3
                location: {latitude: 10.7867, longitude: 106.6857}
                gateways:
                  - id: gw-school-01
                buildings:
                  - id: bldg-1
                    name: Dãy A
                    rooms:
                      - id: r101
                        name: Lớp 6A1
                        kind: classroom
                        floor: 1
                        capacity: 44
                        equipment:
                          - id: r101-air
                            type: air-quality-sensor
                            serialNumber: 20240815
                            installed: 2024-08-12
                            warrantyEnd: 2026-08-12
                            maintenance:
                              - date: 2025-09-08
                                kind: battery
                              - date: 2025-02-17
                                kind: calibration
                                note: "CO2: +35 ppm"
            """;

    @Test
    void readsEveryLevelWithDefaults() {
        Registry registry = read(SMALL);

        assertThat(registry.district()).isEqualTo("quan-3");
        assertThat(registry.districtName()).isEqualTo("Phòng GD&ĐT Quận 3");
        School school = registry.school("school-01").orElseThrow();
        assertThat(school.name()).isEqualTo("THCS Nguyễn Du");
        assertThat(school.timeZone()).isEqualTo(ZoneId.of("Asia/Ho_Chi_Minh"));
        assertThat(school.location().latitude()).isEqualTo(10.7867);
        assertThat(school.gateways()).extracting(g -> g.id()).containsExactly("gw-school-01");
        Room room = school.room("r101").orElseThrow();
        assertThat(room.kind()).isEqualTo(RoomKind.CLASSROOM);
        assertThat(room.capacity()).isEqualTo(44);
        Equipment air = school.equipment("r101-air").orElseThrow();
        assertThat(air.serialNumber()).isEqualTo("20240815");
        assertThat(air.status()).isEqualTo(EquipmentStatus.IN_SERVICE);
        assertThat(air.installed()).isEqualTo(LocalDate.of(2024, 8, 12));
        // the log reads oldest first
        assertThat(air.maintenance()).extracting(m -> m.kind())
                .containsExactly(MaintenanceKind.CALIBRATION, MaintenanceKind.BATTERY);
        assertThat(air.maintenance().get(0).note()).isEqualTo("CO2: +35 ppm");
    }

    @Test
    void exportedYamlReadsBackToAnEqualRegistry() {
        Registry example = InventoryReader.read(Inventories.example());
        String exported = InventoryWriter.write(example);

        Registry again = InventoryReader.read("export", exported.getBytes(StandardCharsets.UTF_8));

        assertThat(again).isEqualTo(example);
        assertThat(InventoryWriter.write(again)).isEqualTo(exported);
        assertThat(exported).contains("THPT Lê Quý Đôn").contains("serialNumber: TS0601-");
    }

    @Test
    void exampleInventoryHasTheDemoSchoolsRoomsAndDevices() {
        Registry example = InventoryReader.read(Inventories.example());

        assertThat(example.schools()).extracting(School::id).containsExactly("school-01", "school-02", "school-03");
        assertThat(example.schools()).extracting(School::name)
                .containsExactly("THCS Nguyễn Du", "THPT Lê Quý Đôn", "THCS Chu Văn An");
        for (School school : example.schools()) {
            List<String> rooms = school.rooms().map(Room::id).toList();
            assertThat(rooms).contains("r101", "r108", "lab", "bldg-1");
            assertThat(school.equipment("r108-air")).isPresent();
            assertThat(school.equipment("lab-hood")).isPresent();
            assertThat(school.equipment("bldg-1-power")).isPresent();
            assertThat(school.gateways()).extracting(g -> g.id()).containsExactly("gw-" + school.id());
            assertThat(school.location()).isNotNull();
        }
    }

    @Test
    void badValueNamesFileLineAndKey() {
        String yaml = SMALL.replace("capacity: 44", "capacity: -3");

        assertThatThrownBy(() -> read(yaml))
                .isInstanceOf(InventoryException.class)
                .hasMessage("inventory.yaml:20: schools[0].buildings[0].rooms[0].capacity: capacity must be 0-5000: -3")
                .satisfies(e -> assertThat(((InventoryException) e).line()).isEqualTo(20));
    }

    @Test
    void unknownKeyIsRefusedAtItsLine() {
        String yaml = SMALL.replace("        floor: 1", "        flor: 1");

        assertThatThrownBy(() -> read(yaml))
                .hasMessageStartingWith("inventory.yaml:19: schools[0].buildings[0].rooms[0].flor: unknown key; expected one of");
    }

    @Test
    void unknownRoomKindListsTheKinds() {
        String yaml = SMALL.replace("kind: classroom", "kind: gym");

        assertThatThrownBy(() -> read(yaml))
                .hasMessageStartingWith("inventory.yaml:18: schools[0].buildings[0].rooms[0].kind: unknown room kind 'gym'; one of [classroom, lab, computer-room");
    }

    @Test
    void duplicateEquipmentIdInOneSchoolIsRefused() {
        String yaml = SMALL
                + "          - id: r102\n"
                + "            kind: classroom\n"
                + "            equipment:\n"
                + "              - id: r101-air\n"
                + "                type: air-quality-sensor\n";

        assertThatThrownBy(() -> read(yaml))
                .hasMessage("inventory.yaml:36: schools[0].buildings[0].rooms[1].equipment[0].id: equipment id 'r101-air'"
                        + " is used twice in the school (also in room 'r101')");
    }

    @Test
    void missingRequiredKeyAndBadDateAndZone() {
        assertThatThrownBy(() -> read(SMALL.replace("    name: THCS Nguyễn Du\n", "")))
                .hasMessage("inventory.yaml:6: schools[0].name: name is required");
        assertThatThrownBy(() -> read(SMALL.replace("installed: 2024-08-12", "installed: 12/08/2024")))
                .hasMessage("inventory.yaml:25: schools[0].buildings[0].rooms[0].equipment[0].installed: expected a date YYYY-MM-DD: 12/08/2024");
        assertThatThrownBy(() -> read(SMALL.replace("    address:", "    timeZone: Asia/Saigon_City\n    address:")))
                .hasMessageStartingWith("inventory.yaml:8: schools[0].timeZone: unknown time zone 'Asia/Saigon_City'");
        assertThatThrownBy(() -> read(SMALL.replace("installed: 2024-08-12", "installed: 2027-01-01")))
                .hasMessage("inventory.yaml:26: schools[0].buildings[0].rooms[0].equipment[0].warrantyEnd:"
                        + " warrantyEnd (2026-08-12) is before installed (2027-01-01)");
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> read(SMALL.replace("    name: Dãy A", "    name: [Dãy A")))
                .hasMessageStartingWith("inventory.yaml:1")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void readsAFileAndNamesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("inventory.yaml");
        Files.writeString(file, SMALL.replace("latitude: 10.7867", "latitude: 100.5"));

        assertThatThrownBy(() -> InventoryReader.read(file))
                .hasMessage(file + ":9: schools[0].location.latitude: latitude must be -90 to 90 degrees: 100.5");
    }

    private static Registry read(String yaml) {
        return InventoryReader.read("inventory.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }
}
