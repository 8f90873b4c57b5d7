package org.smartschool.bridge.model;

/** Where a device is: which school, which room, and its own id. All three are validated ids. */
public record DeviceRef(String school, String room, String device) {
    public DeviceRef {
        Ids.require("school", school);
        Ids.require("room", room);
        Ids.require("device", device);
    }

    @Override
    public String toString() {
        return school + "/" + room + "/" + device;
    }
}
