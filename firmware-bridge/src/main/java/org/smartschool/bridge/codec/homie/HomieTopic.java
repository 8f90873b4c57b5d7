package org.smartschool.bridge.codec.homie;

/**
 * Where a Homie message sits in the convention's topic tree:
 * {@code <root>/<device>/...} (Homie 3/4) or {@code <root>/5/<device>/...} (Homie 5).
 * The root ({@code homie} by default) may be any word. A Homie 4 device whose id is "5" cannot
 * be told from a Homie 5 root; the convention's own discovery has the same ambiguity.
 *
 * @param node null unless the topic names a property
 * @param property null unless the topic names a property
 * @param attribute {@code $datatype} or {@code $unit} for {@link Kind#PROPERTY_ATTRIBUTE}, else null
 */
record HomieTopic(Kind kind, int version, String device, String node, String property, String attribute) {

    enum Kind {
        /** {@code <device>/$state}. */
        STATE,
        /** {@code <device>/$description} (Homie 5). */
        DESCRIPTION,
        /** {@code <device>/<node>/<property>}. */
        PROPERTY_VALUE,
        /** {@code <device>/<node>/<property>/$datatype} or {@code /$unit} (Homie 3/4). */
        PROPERTY_ATTRIBUTE,
        /** {@code <device>/$stats/battery} (Homie 3, legacy stats extension). */
        STATS_BATTERY,
        /** Anything else: other attributes, {@code /set} commands, {@code $target}, broadcasts. */
        OTHER
    }

    static HomieTopic parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 3) {
            return other();
        }
        int first = 1;
        int version = 4;
        if (levels[1].equals("5") && levels.length >= 4) {
            first = 2;
            version = 5;
        }
        String device = levels[first];
        int rest = levels.length - first - 1;
        if (device.isEmpty() || device.startsWith("$")) {
            return other();
        }
        String a = levels[first + 1];
        if (rest == 1) {
            return switch (a) {
                case "$state" -> new HomieTopic(Kind.STATE, version, device, null, null, null);
                case "$description" -> new HomieTopic(Kind.DESCRIPTION, version, device, null, null, null);
                default -> other();
            };
        }
        String b = levels[first + 2];
        if (rest == 2) {
            if (a.equals("$stats") && b.equals("battery")) {
                return new HomieTopic(Kind.STATS_BATTERY, version, device, null, null, null);
            }
            if (a.startsWith("$") || b.startsWith("$") || a.isEmpty() || b.isEmpty()) {
                return other();
            }
            return new HomieTopic(Kind.PROPERTY_VALUE, version, device, a, b, null);
        }
        String c = levels[first + 3];
        if (rest == 3 && !a.startsWith("$") && !b.startsWith("$") && (c.equals("$datatype") || c.equals("$unit"))) {
            return new HomieTopic(Kind.PROPERTY_ATTRIBUTE, version, device, a, b, c);
        }
        return other();
    }

    private static HomieTopic other() {
        return new HomieTopic(Kind.OTHER, 0, null, null, null, null);
    }

    /** {@code node/property}, the key of a property within its device. */
    String propertyKey() {
        return node + "/" + property;
    }
}
