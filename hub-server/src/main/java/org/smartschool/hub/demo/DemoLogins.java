package org.smartschool.hub.demo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.ApiTokenInfo;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.Passwords;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;

/**
 * The demo's users, one per role, with passwords generated at every start (printed once by {@code demo}), and an
 * admin API token the demo's own tools use. A kept {@code --data-dir} keeps the users; their passwords are new.
 */
final class DemoLogins {
    private static final String TOOLS_LABEL = "demo tools";

    /** A user and the password generated for it now. */
    record Login(String user, Role role, String school, String password) {
        @Override
        public String toString() {
            return "Login[" + user + ", " + role.id() + "]";
        }
    }

    /** What {@link #create} made. */
    record Made(List<Login> logins, String apiToken) {
        @Override
        public String toString() {
            return "Made" + logins;
        }
    }

    private DemoLogins() {
    }

    /** Blocking: creates or re-keys the users of {@code firstSchool} and the district. */
    static Made create(Accounts accounts, String firstSchool, Clock clock) {
        List<Login> logins = new ArrayList<>();
        logins.add(login(accounts, "admin", Role.ADMIN, null, clock));
        logins.add(login(accounts, "district-operator", Role.DISTRICT_OPERATOR, null, clock));
        logins.add(login(accounts, "district-viewer", Role.DISTRICT_VIEWER, null, clock));
        logins.add(login(accounts, firstSchool + "-operator", Role.SCHOOL_OPERATOR, firstSchool, clock));
        logins.add(login(accounts, firstSchool + "-viewer", Role.SCHOOL_VIEWER, firstSchool, clock));
        accounts.tokens().stream().filter(t -> t.label().equals(TOOLS_LABEL)).forEach(t -> accounts.deleteToken(t.id()));
        ApiTokens.Issued tools = ApiTokens.issue();
        accounts.createToken(new ApiTokenInfo(tools.id(), TOOLS_LABEL, Role.ADMIN, null, clock.millis(), "demo", null),
                tools.secretHash());
        return new Made(List.copyOf(logins), tools.token());
    }

    private static Login login(Accounts accounts, String name, Role role, String school, Clock clock) {
        String password = Passwords.generate();
        String hash = Passwords.hash(password);
        if (accounts.user(name).filter(u -> u.role() == role).isPresent()) {
            accounts.setPassword(name, hash);
        } else {
            accounts.deleteUser(name);
            accounts.createUser(new UserAccount(name, hash, role, school, clock.millis(), "demo"));
        }
        return new Login(name, role, school, password);
    }
}
