package org.smartschool.hub.testsupport;

import org.smartschool.hub.app.Hub;
import org.smartschool.hub.auth.ApiTokenInfo;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.Role;

/** Credentials for tests, made directly in a running hub's state database (blocking: not on an event loop). */
public final class TestAuth {
    private TestAuth() {
    }

    /** A new admin API token. */
    public static String adminToken(Hub hub) {
        return token(hub, Role.ADMIN, null);
    }

    /** A new API token of that role (school null for district roles). */
    public static String token(Hub hub, Role role, String school) {
        ApiTokens.Issued issued = ApiTokens.issue();
        hub.accounts().createToken(new ApiTokenInfo(issued.id(), "test " + role.id(), role, school,
                System.currentTimeMillis(), "test", null), issued.secretHash());
        return issued.token();
    }
}
