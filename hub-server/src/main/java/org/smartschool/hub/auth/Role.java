package org.smartschool.hub.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a user or API token may do: viewers read, operators also act (acknowledge alarms, change the registry
 * and rosters), the admin also manages users and tokens. School roles hold one school; district roles and
 * the admin every school.
 */
public enum Role {
    SCHOOL_VIEWER("school-viewer", false, Access.READ),
    SCHOOL_OPERATOR("school-operator", false, Access.OPERATE),
    DISTRICT_VIEWER("district-viewer", true, Access.READ),
    DISTRICT_OPERATOR("district-operator", true, Access.OPERATE),
    ADMIN("admin", true, Access.ADMIN);

    private final String id;
    private final boolean districtWide;
    private final Access most;

    Role(String id, boolean districtWide, Access most) {
        this.id = id;
        this.districtWide = districtWide;
        this.most = most;
    }

    /** As written in the API, the database and the CLI: {@code school-viewer}. */
    public String id() {
        return id;
    }

    /** True for the roles that see every school. */
    public boolean districtWide() {
        return districtWide;
    }

    public boolean allows(Access access) {
        return access.compareTo(most) <= 0;
    }

    public static Optional<Role> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    /** The ids, for messages: {@code school-viewer, school-operator, ...}. */
    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Role::id).toList());
    }
}
