package org.smartschool.bridge.uplink;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;

/**
 * The numbers that stand for names in a version 1 batch body (docs/protocol.md, "CBOR body").
 *
 * <p>Numbers are listed here explicitly rather than taken from {@code ordinal()}, so that
 * reordering or extending an enum never changes what a number means on the wire. A new quantity
 * or event type gets the next free number; a number is never reused.
 */
final class WireCatalog {
    /** Top-level body map keys, which appear in this ascending order, each exactly once. */
    static final int KEY_BATCH_ID = 1;
    static final int KEY_GATEWAY = 2;
    static final int KEY_SCHOOL = 3;
    static final int KEY_BASE_TIME = 4;
    static final int KEY_STRINGS = 5;
    static final int KEY_GROUPS = 6;
    static final int KEY_EVENTS = 7;
    static final int KEY_COUNT = 7;

    /** The names used for the keys in error messages and in the doc. */
    private static final String[] KEY_NAMES = {null, "batchId", "gateway", "school", "baseTime", "strings", "groups", "events"};

    /** Elements of one group array: room, device, times, series. */
    static final int GROUP_ELEMENTS = 4;
    /** Elements of one series array: quantity, exponent, values. */
    static final int SERIES_ELEMENTS = 3;
    /** Elements of one event array. */
    static final int EVENT_ELEMENTS = 6;

    /** Index = wire number. Append only. */
    private static final Quantity[] QUANTITIES = {
        Quantity.CO2,            // 0
        Quantity.TEMPERATURE,    // 1
        Quantity.HUMIDITY,       // 2
        Quantity.ILLUMINANCE,    // 3
        Quantity.NOISE,          // 4
        Quantity.PM25,           // 5
        Quantity.PM10,           // 6
        Quantity.VOC,            // 7
        Quantity.PRESSURE,       // 8
        Quantity.POWER,          // 9
        Quantity.ENERGY,         // 10
        Quantity.VOLTAGE,        // 11
        Quantity.CURRENT,        // 12
        Quantity.AIR_VELOCITY,   // 13
        Quantity.GAS,            // 14
        Quantity.BATTERY,        // 15
        Quantity.RSSI,           // 16
        Quantity.LINK_QUALITY,   // 17
    };

    /** Index = wire number. Append only. */
    private static final EventType[] EVENT_TYPES = {
        EventType.CARD_TAP,       // 0
        EventType.DOOR_OPEN,      // 1
        EventType.DOOR_CLOSED,    // 2
        EventType.PEOPLE_COUNT,   // 3
        EventType.OCCUPANCY,      // 4
        EventType.ALERT,          // 5
        EventType.DEVICE_ONLINE,  // 6
        EventType.DEVICE_OFFLINE, // 7
        EventType.FAULT,          // 8
        EventType.ALARM,          // 9
        EventType.ATTENDANCE,     // 10
    };

    static {
        if (QUANTITIES.length > Long.SIZE) {
            throw new IllegalStateException("BodyReader tracks quantities in a 64-bit mask");
        }
    }

    private static final Map<Quantity, Integer> QUANTITY_NUMBERS = numbers(Quantity.class, QUANTITIES);
    private static final Map<EventType, Integer> EVENT_TYPE_NUMBERS = numbers(EventType.class, EVENT_TYPES);

    private WireCatalog() {
    }

    static String keyName(int key) {
        return key >= 1 && key <= KEY_COUNT ? KEY_NAMES[key] : "unknown";
    }

    static int quantityCount() {
        return QUANTITIES.length;
    }

    /** @throws IllegalStateException when a quantity was added to the enum but not given a number here */
    static int number(Quantity quantity) {
        Integer n = QUANTITY_NUMBERS.get(quantity);
        if (n == null) {
            throw new IllegalStateException("quantity " + quantity.id() + " has no wire number in WireCatalog");
        }
        return n;
    }

    static int number(EventType type) {
        Integer n = EVENT_TYPE_NUMBERS.get(type);
        if (n == null) {
            throw new IllegalStateException("event type " + type.id() + " has no wire number in WireCatalog");
        }
        return n;
    }

    static Optional<Quantity> quantity(long number) {
        return number >= 0 && number < QUANTITIES.length ? Optional.of(QUANTITIES[(int) number]) : Optional.empty();
    }

    static Optional<EventType> eventType(long number) {
        return number >= 0 && number < EVENT_TYPES.length ? Optional.of(EVENT_TYPES[(int) number]) : Optional.empty();
    }

    private static <E extends Enum<E>> Map<E, Integer> numbers(Class<E> type, E[] byNumber) {
        Map<E, Integer> out = new EnumMap<>(type);
        for (int i = 0; i < byNumber.length; i++) {
            if (out.put(byNumber[i], i) != null) {
                throw new IllegalStateException(byNumber[i] + " has two wire numbers");
            }
        }
        return out;
    }
}
