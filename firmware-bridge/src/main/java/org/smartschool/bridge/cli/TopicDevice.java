package org.smartschool.bridge.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Ids;

/**
 * Which device {@code decode} attributes a payload to when the user does not say, since the CLI
 * has no gateway routes: the topic's last two levels are the room and the device
 * ({@code zigbee2mqtt/r101/aq1} gives room r101, device aq1), after dropping a final level that
 * names a status channel rather than a device ({@code availability}, {@code state},
 * {@code status}, {@code online}, {@code SENSOR}, {@code STATE}, {@code LWT}). A level that is not
 * a valid id, or missing, becomes the placeholder {@code cli}. The school is {@code cli} unless given.
 */
final class TopicDevice {
    static final String PLACEHOLDER = "cli";
    private static final Set<String> CHANNELS = Set.of("availability", "state", "status", "online", "SENSOR", "STATE", "LWT");

    private TopicDevice() {
    }

    /**
     * @param school, room, device the user's choices, or null to derive them
     * @throws org.smartschool.bridge.model.InvalidIdException when a given id is invalid
     */
    static DeviceRef of(String topic, String school, String room, String device) {
        List<String> levels = new ArrayList<>(Arrays.asList(topic.split("/", -1)));
        if (levels.size() > 1 && CHANNELS.contains(levels.get(levels.size() - 1))) {
            levels.remove(levels.size() - 1);
        }
        String derivedDevice = levels.size() >= 1 ? idOrPlaceholder(levels.get(levels.size() - 1)) : PLACEHOLDER;
        String derivedRoom = levels.size() >= 2 ? idOrPlaceholder(levels.get(levels.size() - 2)) : PLACEHOLDER;
        return new DeviceRef(school != null ? school : PLACEHOLDER,
                room != null ? room : derivedRoom,
                device != null ? device : derivedDevice);
    }

    private static String idOrPlaceholder(String level) {
        return Ids.isValid(level) ? level : PLACEHOLDER;
    }
}
