package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.inventory.InventoryWriter;
import org.smartschool.hub.registry.CredentialHash;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.EquipmentStatus;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.MaintenanceEntry;
import org.smartschool.hub.registry.MaintenanceKind;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.RegistryConflictException;
import org.smartschool.hub.registry.RegistryNotFoundException;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.RegistryStore.ApplyResult;
import org.smartschool.hub.registry.RegistryStore.Change;
import org.smartschool.hub.registry.RegistryStore.StoredCredential;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;
import org.smartschool.hub.testsupport.Inventories;

/**
 * The state database's registry contract, run against every database the hub supports: SQLite
 * ({@link SqliteRegistryStoreTest}) and PostgreSQL ({@link PostgresRegistryStoreTest}). Each test
 * starts on an empty database that Flyway has just migrated.
 */
abstract class RegistryStoreContract {
    static final Registry EXAMPLE = InventoryReader.read(Inventories.example());

    RegistryStore store;

    /** A configuration for an empty database of the kind under test. */
    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = new JdbcRegistryStore(StateDatabase.open(emptyDatabase()));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void freshDatabaseHasAnEmptyRegistry() {
        assertThat(store.registry()).isEqualTo(new Registry(JdbcRegistryStore.UNNAMED_DISTRICT, null, List.of()));
        assertThat(store.credentials()).isEmpty();
        store.ping();
    }

    @Test
    void appliedInventoryReadsBackEqual() {
        ApplyResult result = store.apply(EXAMPLE);

        assertThat(store.registry()).isEqualTo(EXAMPLE);
        assertThat(result.created()).isGreaterThan(100);
        assertThat(result.updated()).isZero();
        School school = store.school("school-02").orElseThrow();
        assertThat(school.name()).isEqualTo("THPT Lê Quý Đôn");
        assertThat(school.location().latitude()).isEqualTo(10.7794);
        assertThat(store.school("nowhere")).isEmpty();
    }

    /**
     * Verifies that the rooms' kinds read in one query are those of the whole registry, a school without
     * rooms included, and follow a room's change of kind.
     */
    @Test
    void roomKindsAreThoseOfTheRegistry() {
        store.apply(EXAMPLE);
        store.apply(new Registry(EXAMPLE.district(), EXAMPLE.districtName(),
                List.of(new School("th-trong", "TH Trống", null, null, null, List.of(), List.of()))));
        java.util.Map<String, java.util.Map<String, RoomKind>> expected = new java.util.TreeMap<>();
        for (School school : store.schools()) {
            java.util.Map<String, RoomKind> rooms = expected.computeIfAbsent(school.id(), k -> new java.util.TreeMap<>());
            school.buildings().forEach(b -> b.rooms().forEach(r -> rooms.put(r.id(), r.kind())));
        }

        assertThat(store.roomKinds()).isEqualTo(expected).containsEntry("th-trong", java.util.Map.of());
        assertThat(store.roomKinds().get("school-01")).containsEntry("r101", RoomKind.CLASSROOM)
                .containsEntry("lab", RoomKind.LAB).containsEntry("san-truong", RoomKind.OUTDOOR);

        store.putRoom("school-01", "bldg-1", new Room("r102", null, RoomKind.LAB, 1, 40, List.of()));
        assertThat(store.roomKinds().get("school-01")).containsEntry("r102", RoomKind.LAB);
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        School bare = new School("th-an-khanh", "TH An Khánh", null, null, null,
                List.of(new org.smartschool.hub.registry.Building("chinh", null,
                        List.of(new Room("p1", null, RoomKind.CLASSROOM, 0, 0, List.of(new Equipment("p1-air", "air-quality-sensor",
                                null, null, null, null, null, List.of())))))),
                List.of(new Gateway("gw-an-khanh", null)));
        Registry registry = new Registry("huyen-binh-chanh", null, List.of(bare));

        store.apply(registry);

        assertThat(store.registry()).isEqualTo(registry);
        assertThat(store.school("th-an-khanh").orElseThrow().timeZone().getId()).isEqualTo("Asia/Ho_Chi_Minh");
    }

    @Test
    void applyingTheSameInventoryAgainChangesNothing() {
        ApplyResult first = store.apply(EXAMPLE);

        ApplyResult second = store.apply(EXAMPLE);

        assertThat(second).isEqualTo(new ApplyResult(0, 0, first.created()));
        assertThat(second.changedAnything()).isFalse();
        assertThat(store.registry()).isEqualTo(EXAMPLE);
    }

    @Test
    void fileWinsForWhatItNamesAndKeepsWhatItDoesNot() {
        store.apply(EXAMPLE);
        Room r101 = EXAMPLE.school("school-01").orElseThrow().room("r101").orElseThrow();
        store.putRoom("school-01", "bldg-1", new Room("r101", "Lớp 6A1 (đổi)", RoomKind.CLASSROOM, 1, 10, List.of()));
        store.putRoom("school-01", "bldg-2", new Room("r201", "Phòng Âm nhạc", RoomKind.CLASSROOM, 2, 35, List.of()));
        MaintenanceEntry added = new MaintenanceEntry(LocalDate.of(2025, 10, 1), MaintenanceKind.CLEANING, null, "Lau cảm biến");
        store.addMaintenance("school-01", "r101-air", added);

        ApplyResult again = store.apply(EXAMPLE);

        assertThat(again.updated()).isEqualTo(1);
        assertThat(again.created()).isZero();
        School school = store.school("school-01").orElseThrow();
        assertThat(school.room("r101").orElseThrow().capacity()).isEqualTo(r101.capacity());
        assertThat(school.room("r101").orElseThrow().name()).isEqualTo("Lớp 6A1");
        assertThat(school.room("r201").orElseThrow().capacity()).isEqualTo(35);
        assertThat(school.equipment("r101-air").orElseThrow().maintenance()).last().isEqualTo(added);
        assertThat(school.equipment("r101-air").orElseThrow().maintenance()).hasSize(3);
    }

    @Test
    void roomsAreCreatedUpdatedMovedAndDeleted() {
        store.apply(EXAMPLE);

        Room gym = new Room("nha-the-chat", "Nhà thể chất", RoomKind.HALL, 0, 200, List.of());
        assertThat(store.putRoom("school-03", "khuon-vien", gym)).isEqualTo(Change.CREATED);
        assertThat(store.putRoom("school-03", "khuon-vien", gym)).isEqualTo(Change.UNCHANGED);
        assertThat(store.putRoom("school-03", "bldg-2", gym)).isEqualTo(Change.UPDATED);
        assertThat(store.school("school-03").orElseThrow().buildingOf("nha-the-chat").orElseThrow().id()).isEqualTo("bldg-2");

        assertThat(store.deleteRoom("school-03", "nha-the-chat")).isTrue();
        assertThat(store.deleteRoom("school-03", "nha-the-chat")).isFalse();
        assertThat(store.school("school-03").orElseThrow().room("nha-the-chat")).isEmpty();
    }

    @Test
    void roomWithEquipmentIsNotDeletedAndUnknownParentsAreNotFound() {
        store.apply(EXAMPLE);
        Room room = new Room("r901", null, RoomKind.CLASSROOM, 9, 40, List.of());

        assertThatThrownBy(() -> store.deleteRoom("school-01", "lab"))
                .isInstanceOf(RegistryConflictException.class).hasMessageContaining("room 'lab' still holds 5");
        assertThatThrownBy(() -> store.putRoom("school-09", "bldg-1", room))
                .isInstanceOf(RegistryNotFoundException.class).hasMessage("no school 'school-09'");
        assertThatThrownBy(() -> store.putRoom("school-01", "bldg-9", room))
                .isInstanceOf(RegistryNotFoundException.class).hasMessage("school 'school-01' has no building 'bldg-9'");
        assertThat(store.school("school-01").orElseThrow().room("lab")).isPresent();
    }

    @Test
    void equipmentIsCreatedMovedAndDeletedWithItsLog() {
        store.apply(EXAMPLE);
        Equipment projector = new Equipment("lab-projector", "projector", "Epson EB-E01", "X4K-0001",
                LocalDate.of(2025, 8, 1), LocalDate.of(2027, 8, 1), EquipmentStatus.IN_SERVICE, List.of());

        assertThat(store.putEquipment("school-01", "lab", projector)).isEqualTo(Change.CREATED);
        store.addMaintenance("school-01", "lab-projector",
                new MaintenanceEntry(LocalDate.of(2025, 9, 2), MaintenanceKind.INSPECTION, "Tổ thiết bị", null));
        Equipment faulty = new Equipment("lab-projector", "projector", "Epson EB-E01", "X4K-0001",
                LocalDate.of(2025, 8, 1), LocalDate.of(2027, 8, 1), EquipmentStatus.FAULTY, List.of());
        assertThat(store.putEquipment("school-01", "tin-hoc-1", faulty)).isEqualTo(Change.UPDATED);

        School school = store.school("school-01").orElseThrow();
        assertThat(school.roomOf("lab-projector").orElseThrow().id()).isEqualTo("tin-hoc-1");
        Equipment stored = school.equipment("lab-projector").orElseThrow();
        assertThat(stored.status()).isEqualTo(EquipmentStatus.FAULTY);
        assertThat(stored.maintenance()).extracting(MaintenanceEntry::by).containsExactly("Tổ thiết bị");

        assertThat(store.deleteEquipment("school-01", "lab-projector")).isTrue();
        assertThat(store.school("school-01").orElseThrow().equipment("lab-projector")).isEmpty();
        assertThatThrownBy(() -> store.addMaintenance("school-01", "lab-projector",
                new MaintenanceEntry(LocalDate.of(2025, 9, 3), MaintenanceKind.REPAIR, null, null)))
                .isInstanceOf(RegistryNotFoundException.class);
        assertThatThrownBy(() -> store.putEquipment("school-01", "r999", projector))
                .isInstanceOf(RegistryNotFoundException.class).hasMessage("school 'school-01' has no room 'r999'");
    }

    @Test
    void maintenanceLogKeepsDateOrderAndEntriesOfOneDayInTheirOrder() {
        store.apply(EXAMPLE);
        MaintenanceEntry first = new MaintenanceEntry(LocalDate.of(2026, 1, 5), MaintenanceKind.INSPECTION, null, "một");
        MaintenanceEntry second = new MaintenanceEntry(LocalDate.of(2026, 1, 5), MaintenanceKind.REPAIR, null, "hai");
        MaintenanceEntry earlier = new MaintenanceEntry(LocalDate.of(2025, 12, 1), MaintenanceKind.CLEANING, null, "trước");
        store.addMaintenance("school-02", "r102-cam", first);
        store.addMaintenance("school-02", "r102-cam", second);
        store.addMaintenance("school-02", "r102-cam", earlier);

        assertThat(store.school("school-02").orElseThrow().equipment("r102-cam").orElseThrow().maintenance())
                .containsExactly(earlier, first, second);
    }

    @Test
    void gatewayCredentialIsStoredAsASaltedHashAndCanBeReplaced() {
        store.apply(EXAMPLE);
        String secret = CredentialHash.newSecret();

        assertThat(store.registerGateway("school-01", new Gateway("gw-school-01", null), CredentialHash.of(secret))).isFalse();
        assertThat(store.registerGateway("school-02", new Gateway("gw-extra", "Pi dự phòng"), CredentialHash.of("other"))).isTrue();

        List<StoredCredential> credentials = store.credentials();
        assertThat(credentials).extracting(StoredCredential::gatewayId).containsExactly("gw-extra", "gw-school-01");
        StoredCredential one = credentials.get(1);
        assertThat(one.schoolId()).isEqualTo("school-01");
        assertThat(one.schoolName()).isEqualTo("THCS Nguyễn Du");
        assertThat(one.hash().matches(secret)).isTrue();
        assertThat(one.hash().encoded()).startsWith("pbkdf2-sha256$").doesNotContain(secret);
        // the name the inventory gave is kept when a registration names none
        assertThat(store.school("school-01").orElseThrow().gateways().get(0).name())
                .isEqualTo("Raspberry Pi 4 Model B 4GB, phòng kỹ thuật dãy A");

        String rotated = CredentialHash.newSecret();
        store.registerGateway("school-01", new Gateway("gw-school-01", null), CredentialHash.of(rotated));
        StoredCredential now = store.credentials().get(1);
        assertThat(now.hash().matches(rotated)).isTrue();
        assertThat(now.hash().matches(secret)).isFalse();

        assertThatThrownBy(() -> store.registerGateway("school-03", new Gateway("gw-school-01", null), CredentialHash.of("x")))
                .isInstanceOf(RegistryConflictException.class).hasMessage("gateway 'gw-school-01' belongs to school 'school-01'");
        // applying the inventory again keeps the credentials
        store.apply(EXAMPLE);
        assertThat(store.credentials()).hasSize(2);
    }

    @Test
    void exportOfTheDatabaseLoadsAgainToAnEqualRegistry() {
        store.apply(EXAMPLE);
        store.putRoom("school-01", "bldg-2", new Room("r201", "Phòng Mỹ thuật", RoomKind.CLASSROOM, 2, 30, List.of()));
        store.addMaintenance("school-01", "lab-gas",
                new MaintenanceEntry(LocalDate.of(2025, 11, 20), MaintenanceKind.FIRMWARE, "Lê Minh Tuấn", "Cập nhật 1.0.7"));
        Registry stored = store.registry();

        String yaml = InventoryWriter.write(stored);
        Registry reloaded = InventoryReader.read("export.yaml", yaml.getBytes(StandardCharsets.UTF_8));

        assertThat(reloaded).isEqualTo(stored);
        assertThat(reloaded).isNotEqualTo(EXAMPLE);
    }
}
