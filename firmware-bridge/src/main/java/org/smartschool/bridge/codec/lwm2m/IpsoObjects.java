package org.smartschool.bridge.codec.lwm2m;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.smartschool.bridge.model.Quantity;

/**
 * The LwM2M objects this system reads and what each of their resources becomes, from the object
 * definitions in the OMA LwM2M registry (https://github.com/OpenMobileAlliance/lwm2m-registry):
 *
 * <ul>
 *   <li>3301 Illuminance, 3303 Temperature, 3304 Humidity, 3324 Loudness: resource 5700 Sensor Value is
 *       the reading, in the units of 5701 Sensor Units when sent, else lx, Cel, %RH and dB;</li>
 *   <li>3325 Concentration: 5700 is CO2 when 5750 Application Type says so or 5701 is ppm; VOC for ppb,
 *       flammable gas for %LEL, PM for ug/m3 with an application type naming PM2.5 or PM10;</li>
 *   <li>3302 Presence: 5500 Digital Input State becomes an OCCUPANCY event;</li>
 *   <li>3428 Air Quality (uCIFI): 1 PM10 and 3 PM2.5 in ug/m3, 17 CO2 in ppm;</li>
 *   <li>3 Device: 9 Battery Level in %.</li>
 * </ul>
 * The other resources of these objects are known and deliberately not stored: min/max measured and
 * range values (5601-5605), calibration (5821), application and sensor type (5750, 5751), timestamps and
 * quality (5518, 6050, 6042, 6049; used to qualify 5700), presence counters and delays (5501, 5505, 5903,
 * 5904), 3428's averages and other gases (PM1, CO, SO2, O3, NO2), and the Device object's identity and
 * housekeeping resources. Resources and objects not listed here are problems.
 */
final class IpsoObjects {

    enum Role {
        /** a number of a fixed quantity */
        MEASURED,
        /** 3325's 5700: the quantity follows from application type or units */
        CONCENTRATION,
        /** 3302's 5500 */
        PRESENCE,
        /** known, deliberately not stored */
        SKIPPED
    }

    /** What one resource becomes; {@code quantity} and {@code defaultUnit} only for {@link Role#MEASURED}. */
    record Resource(Role role, Quantity quantity, String defaultUnit) {
        static final Resource SKIP = new Resource(Role.SKIPPED, null, null);
    }

    static final int SENSOR_VALUE = 5700;
    static final int SENSOR_UNITS = 5701;
    static final int APPLICATION_TYPE = 5750;
    static final int TIMESTAMP = 5518;
    static final int FRACTIONAL_TIMESTAMP = 6050;
    static final int QUALITY_INDICATOR = 6042;

    /** Resources every IPSO sensor object may carry besides its value. */
    private static final int[] IPSO_SENSOR_COMMON = {5601, 5602, 5603, 5604, 5605, 5701, 5750, 5751, 5518, 6050, 6042, 6049, 5821};

    private static final Map<Integer, Map<Integer, Resource>> OBJECTS = new HashMap<>();

    static {
        sensor(3301, Quantity.ILLUMINANCE, "lx");
        sensor(3303, Quantity.TEMPERATURE, "Cel");
        sensor(3304, Quantity.HUMIDITY, "%RH");
        sensor(3324, Quantity.NOISE, "dB");
        Map<Integer, Resource> concentration = skipping(IPSO_SENSOR_COMMON);
        concentration.put(SENSOR_VALUE, new Resource(Role.CONCENTRATION, null, null));
        OBJECTS.put(3325, concentration);

        Map<Integer, Resource> presence = skipping(5501, 5505, 5751, 5903, 5904, 5750, 5518, 6050, 6042, 6049);
        presence.put(5500, new Resource(Role.PRESENCE, null, null));
        OBJECTS.put(3302, presence);

        Map<Integer, Resource> airQuality = skipping(2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18);
        airQuality.put(1, new Resource(Role.MEASURED, Quantity.PM10, "ug/m3"));
        airQuality.put(3, new Resource(Role.MEASURED, Quantity.PM25, "ug/m3"));
        airQuality.put(17, new Resource(Role.MEASURED, Quantity.CO2, "ppm"));
        OBJECTS.put(3428, airQuality);

        // Device object: manufacturer, model, serial, versions, power sources, memory, error codes, clock ...
        Map<Integer, Resource> device = skipping(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22);
        device.put(9, new Resource(Role.MEASURED, Quantity.BATTERY, "%"));
        OBJECTS.put(3, device);
    }

    private IpsoObjects() {
    }

    private static void sensor(int object, Quantity quantity, String defaultUnit) {
        Map<Integer, Resource> resources = skipping(IPSO_SENSOR_COMMON);
        resources.put(SENSOR_VALUE, new Resource(Role.MEASURED, quantity, defaultUnit));
        OBJECTS.put(object, resources);
    }

    private static Map<Integer, Resource> skipping(int... resources) {
        Map<Integer, Resource> map = new HashMap<>();
        for (int resource : resources) {
            map.put(resource, Resource.SKIP);
        }
        return map;
    }

    static boolean isKnown(int object) {
        return OBJECTS.containsKey(object);
    }

    /** What the resource becomes, or null when the object is known but this resource is not. */
    static Resource resource(int object, int resource) {
        Map<Integer, Resource> resources = OBJECTS.get(object);
        return resources == null ? null : resources.get(resource);
    }

    static Set<Integer> knownObjects() {
        return new TreeSet<>(OBJECTS.keySet());
    }
}
