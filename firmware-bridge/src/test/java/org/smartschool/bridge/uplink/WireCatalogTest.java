package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;

class WireCatalogTest {

    @Test
    void everyQuantityAndEventTypeHasOneStableWireNumber() {
        Set<Integer> quantityNumbers = new HashSet<>();
        for (Quantity q : Quantity.values()) {
            int n = WireCatalog.number(q);
            assertThat(quantityNumbers.add(n)).as("number of %s", q).isTrue();
            assertThat(WireCatalog.quantity(n)).contains(q);
        }
        Set<Integer> typeNumbers = new HashSet<>();
        for (EventType t : EventType.values()) {
            int n = WireCatalog.number(t);
            assertThat(typeNumbers.add(n)).as("number of %s", t).isTrue();
            assertThat(WireCatalog.eventType(n)).contains(t);
        }
    }

    @Test
    void publishedNumbersNeverChange() {
        assertThat(WireCatalog.number(Quantity.CO2)).isZero();
        assertThat(WireCatalog.number(Quantity.TEMPERATURE)).isEqualTo(1);
        assertThat(WireCatalog.number(Quantity.PM25)).isEqualTo(5);
        assertThat(WireCatalog.number(Quantity.LINK_QUALITY)).isEqualTo(17);
        assertThat(WireCatalog.number(EventType.CARD_TAP)).isZero();
        assertThat(WireCatalog.number(EventType.FAULT)).isEqualTo(8);
        assertThat(WireCatalog.quantity(18)).isEmpty();
        assertThat(WireCatalog.quantity(-1)).isEmpty();
        assertThat(WireCatalog.number(EventType.ALARM)).isEqualTo(9);
        assertThat(WireCatalog.number(EventType.ATTENDANCE)).isEqualTo(10);
        assertThat(WireCatalog.eventType(11)).isEmpty();
    }
}
