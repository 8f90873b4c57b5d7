package org.smartschool.bridge.codec.sparkplug;

/**
 * A Sparkplug B topic: {@code spBv1.0/<group>/<message type>/<edge node>[/<device>]}.
 *
 * @param device null for edge node messages (N*)
 */
record SparkplugTopic(String group, MessageType type, String edgeNode, String device) {
    static final String NAMESPACE = "spBv1.0";

    enum MessageType {
        NBIRTH(false), NDEATH(false), NDATA(false), NCMD(false),
        DBIRTH(true), DDEATH(true), DDATA(true), DCMD(true);

        final boolean deviceLevel;

        MessageType(boolean deviceLevel) {
            this.deviceLevel = deviceLevel;
        }
    }

    /** The parsed topic, or null when it is not a Sparkplug B edge node or device topic. */
    static SparkplugTopic parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 4 || levels.length > 5 || !levels[0].equals(NAMESPACE)) {
            return null;
        }
        MessageType type;
        try {
            type = MessageType.valueOf(levels[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (type.deviceLevel != (levels.length == 5)) {
            return null;
        }
        for (String level : levels) {
            if (level.isEmpty()) {
                return null;
            }
        }
        return new SparkplugTopic(levels[1], type, levels[3], type.deviceLevel ? levels[4] : null);
    }

    /** Whether this is a host application's STATE topic ({@code spBv1.0/STATE/<host>}, Sparkplug 3.0). */
    static boolean isHostState(String topic) {
        return topic.startsWith(NAMESPACE + "/STATE/") || topic.startsWith("STATE/");
    }

    /** group/edge node: identifies the edge node's session. */
    String edgeNodeKey() {
        return group + "/" + edgeNode;
    }
}
