package org.smartschool.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The registry's records refuse bad values with the field and a message, and keep their lists in id order. */
class RegistryValidationTest {

    @Test
    void refusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> new Room("r 101", null, RoomKind.CLASSROOM, 1, 40, List.of()))
                .isInstanceOfSatisfying(InvalidRegistryException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThatThrownBy(() -> new Room("r101", null, null, 1, 40, List.of()))
                .isInstanceOfSatisfying(InvalidRegistryException.class, e -> assertThat(e.field()).isEqualTo("kind"))
                .hasMessageContaining("classroom");
        assertThatThrownBy(() -> new Location(10.8, 200))
                .isInstanceOfSatisfying(InvalidRegistryException.class, e -> assertThat(e.field()).isEqualTo("longitude"));
        assertThatThrownBy(() -> new School("s1", " ", null, null, null, List.of(), List.of()))
                .isInstanceOfSatisfying(InvalidRegistryException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> new Building("b1", "A\u0000", List.of()))
                .isInstanceOfSatisfying(InvalidRegistryException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void gatewayMayBelongToOneSchoolOnly() {
        School a = new School("a", "A", null, null, null, List.of(), List.of(new Gateway("gw", null)));
        School b = new School("b", "B", null, null, null, List.of(), List.of(new Gateway("gw", null)));

        assertThatThrownBy(() -> new Registry("d", null, List.of(a, b)))
                .isInstanceOfSatisfying(InvalidRegistryException.class,
                        e -> assertThat(e.field()).isEqualTo("schools[1].gateways[0].id"))
                .hasMessage("gateway id 'gw' belongs to two schools ('a' and 'b')");
    }

    @Test
    void listsAreKeptInIdOrder() {
        Room r2 = new Room("r2", null, RoomKind.LAB, 0, 0, List.of());
        Room r1 = new Room("r1", null, RoomKind.HALL, 0, 0, List.of());

        assertThat(new Building("b", null, List.of(r2, r1))).isEqualTo(new Building("b", null, List.of(r1, r2)));
    }
}
