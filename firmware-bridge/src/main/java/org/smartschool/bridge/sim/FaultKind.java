package org.smartschool.bridge.sim;

/** The faults the virtual firmware can simulate; see {@link FaultRates} for how often. */
public enum FaultKind {
    /** The sensor repeats the values it read when it stuck, for an hour, with fresh timestamps. */
    STUCK("stuck"),
    /** No messages for 3-20 minutes (radio interference, a Wi-Fi reconnect), then the device carries on. */
    DROPOUT("dropout"),
    /** One report carries one absurd value (a CO2 sensor's 65535, a DS18B20's -127) that plausibility checks reject. */
    SPIKE("spike"),
    /** The device dies for 5-45 minutes: its last will (offline) arrives, nothing else, then it is back online. */
    OFFLINE("offline"),
    /** A smoke detector reports smoke for 1-3 minutes with no fire (dust, steam); smoke detectors only. */
    FALSE_ALARM("false_alarm");

    private final String id;

    FaultKind(String id) {
        this.id = id;
    }

    /** The name used in options: {@code stuck}, {@code dropout}, {@code spike}, {@code offline}, {@code false_alarm}. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the unknown kind and listing the known ones */
    public static FaultKind require(String id) {
        for (FaultKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        StringBuilder known = new StringBuilder();
        for (FaultKind kind : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(kind.id);
        }
        throw new IllegalArgumentException("unknown fault '" + id + "': expected one of " + known);
    }
}
