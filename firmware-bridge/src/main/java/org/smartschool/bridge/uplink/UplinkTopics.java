package org.smartschool.bridge.uplink;

import java.util.Optional;

import org.smartschool.bridge.model.Ids;

/**
 * The MQTT 5 topics between a gateway and the hub (see docs/protocol.md).
 *
 * <pre>
 * ss/v1/{school}/{gateway}/batch    gateway -> hub, QoS 1, a {@link BatchCodec} frame
 * ss/v1/{school}/{gateway}/health   gateway -> hub, QoS 0, JSON health report
 * ss/v1/{school}/{gateway}/config   hub -> gateway, QoS 1, JSON desired configuration
 * </pre>
 */
public final class UplinkTopics {
    public static final String ROOT = "ss/v1";
    public static final String BATCH = "batch";
    public static final String HEALTH = "health";
    public static final String CONFIG = "config";

    private UplinkTopics() {
    }

    public static String batch(String school, String gateway) {
        return topic(school, gateway, BATCH);
    }

    public static String health(String school, String gateway) {
        return topic(school, gateway, HEALTH);
    }

    public static String config(String school, String gateway) {
        return topic(school, gateway, CONFIG);
    }

    private static String topic(String school, String gateway, String kind) {
        return ROOT + "/" + Ids.require("school", school) + "/" + Ids.require("gateway", gateway) + "/" + kind;
    }

    /**
     * Splits an uplink topic into its parts; empty when the topic is not one of ours: another
     * root, an invalid school or gateway id, or a kind other than batch, health and config.
     */
    public static Optional<Parsed> parse(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 5 || !(levels[0] + "/" + levels[1]).equals(ROOT)
                || !Ids.isValid(levels[2]) || !Ids.isValid(levels[3]) || !isKind(levels[4])) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(levels[2], levels[3], levels[4]));
    }

    private static boolean isKind(String kind) {
        return kind.equals(BATCH) || kind.equals(HEALTH) || kind.equals(CONFIG);
    }

    public record Parsed(String school, String gateway, String kind) {
    }
}
