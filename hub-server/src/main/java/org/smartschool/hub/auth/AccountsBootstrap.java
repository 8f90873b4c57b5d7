package org.smartschool.hub.auth;

import java.io.PrintStream;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The first admin ({@code auth.bootstrapAdmin}), created at start when no user of that name exists. Blocking. */
public final class AccountsBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsBootstrap.class);

    private AccountsBootstrap() {
    }

    /**
     * @param password the configured password; empty to generate one and print it on {@code out} (once: later starts
     *                 find the user)
     */
    public static void run(Accounts accounts, String admin, String password, Clock clock, PrintStream out) {
        if (admin.isEmpty() || accounts.user(admin).isPresent()) {
            return;
        }
        String chosen = password.isEmpty() ? Passwords.generate() : password;
        try {
            accounts.createUser(new UserAccount(admin, Passwords.hash(chosen), Role.ADMIN, null, clock.millis(), "auth.bootstrapAdmin"));
        } catch (AccountConflictException e) {
            return; // another replica created it first
        }
        LOG.info("created the admin user '{}' (auth.bootstrapAdmin)", admin);
        if (password.isEmpty()) {
            // standard output, not the log: log files are kept and shipped, this is shown once
            out.println("admin user '" + admin + "' created with the password " + chosen
                    + " (shown only now; change it with POST /api/v1/auth/users/" + admin + "/password)");
        }
    }
}
