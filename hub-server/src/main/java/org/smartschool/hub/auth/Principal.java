package org.smartschool.hub.auth;

import java.util.Objects;

/**
 * Who makes a request: a user (logged in), an API token, or the configured {@code registry.apiToken}.
 *
 * @param name   the user's name, or {@code token:ID} for an API token: what the audit log records
 * @param role   what it may do
 * @param school the school of a school role; null for district roles and the admin
 */
public record Principal(String name, Role role, String school) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (role.districtWide() != (school == null)) {
            throw new IllegalArgumentException(role.districtWide()
                    ? "role " + role.id() + " is for the whole district: no school"
                    : "role " + role.id() + " needs a school");
        }
    }

    /** True when this principal may see and act on the school's data. */
    public boolean covers(String school) {
        return role.districtWide() || this.school.equals(school);
    }
}
