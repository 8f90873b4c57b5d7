package org.smartschool.hub.registry;

/**
 * A school's edge gateway as the registry knows it. Its credential is not part of the record: it is
 * kept apart, only as a salted hash ({@link CredentialHash}), and never exported.
 *
 * @param name where it is or what it is ("Raspberry Pi 4, phòng thiết bị"); optional
 */
public record Gateway(String id, String name) {
    public Gateway {
        Check.id("id", id);
        name = Check.optionalText("name", name);
    }
}
