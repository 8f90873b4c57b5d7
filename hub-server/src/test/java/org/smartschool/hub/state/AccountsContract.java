package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartschool.hub.auth.AccountConflictException;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.AccountsBootstrap;
import org.smartschool.hub.auth.ApiTokenInfo;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.AuditEntry;
import org.smartschool.hub.auth.Passwords;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;
import org.smartschool.hub.config.StateConfig;

/** Users, API tokens, sessions and the audit log (migration V8), run on SQLite and on the real PostgreSQL of {@code .ci/run}. */
abstract class AccountsContract {
    private static final long T0 = 1_796_600_000_000L;
    private StateDatabase db;
    private Accounts accounts;
    private JdbcAuditLog audit;

    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(emptyDatabase());
        accounts = new JdbcAccounts(db);
        audit = new JdbcAuditLog(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Verifies that a user is stored with a bcrypt hash that checks its password, and that a name is taken once. */
    @Test
    void storesUsersWithPasswordHashesAndRefusesATakenName() {
        accounts.createUser(new UserAccount("lan.nguyen", Passwords.hash("correct horse battery"), Role.SCHOOL_OPERATOR,
                "school-01", T0, "admin"));
        UserAccount stored = accounts.user("lan.nguyen").orElseThrow();
        assertThat(stored.passwordHash()).startsWith("$2y$10$").doesNotContain("correct horse battery");
        assertThat(Passwords.matches(stored.passwordHash(), "correct horse battery")).isTrue();
        assertThat(Passwords.matches(stored.passwordHash(), "correct horse batterY")).isFalse();
        assertThat(stored.principal()).isEqualTo(new Principal("lan.nguyen", Role.SCHOOL_OPERATOR, "school-01"));
        assertThatThrownBy(() -> accounts.createUser(new UserAccount("lan.nguyen", Passwords.hash("another password"),
                Role.ADMIN, null, T0, "admin"))).isInstanceOf(AccountConflictException.class);
        assertThat(accounts.users()).extracting(UserAccount::name).containsExactly("lan.nguyen");
    }

    /** Verifies that a session lives until logout, expiry, a new password or the user's deletion. */
    @Test
    void aSessionEndsWithLogoutExpiryPasswordChangeOrDeletion() {
        accounts.createUser(new UserAccount("mai", Passwords.hash("a first password"), Role.DISTRICT_VIEWER, null, T0, "admin"));
        accounts.openSession("s1", "mai", T0, T0 + 1000);
        accounts.openSession("s2", "mai", T0, T0 + 1000);
        accounts.openSession("s3", "mai", T0, T0 + 1000);
        assertThat(accounts.session("s1", T0 + 1)).contains(new Principal("mai", Role.DISTRICT_VIEWER, null));
        assertThat(accounts.session("s1", T0 + 1000)).as("expired").isEmpty();
        assertThat(accounts.closeSession("s2", T0 + 2)).isTrue();
        assertThat(accounts.closeSession("s2", T0 + 3)).isFalse();
        assertThat(accounts.session("s2", T0 + 3)).isEmpty();
        assertThat(accounts.session("s3", T0 + 3)).isPresent();
        assertThat(accounts.setPassword("mai", Passwords.hash("a second password"))).isTrue();
        assertThat(accounts.session("s3", T0 + 4)).as("a new password ends the sessions").isEmpty();
        accounts.openSession("s4", "mai", T0 + 5, T0 + 1000);
        assertThat(accounts.deleteUser("mai")).isTrue();
        assertThat(accounts.session("s4", T0 + 6)).isEmpty();
        assertThat(accounts.deleteUser("mai")).isFalse();
    }

    /** Verifies that an API token is found by its id and secret only, until it expires or is deleted, and its secret is not stored. */
    @Test
    void anApiTokenIsFoundByItsSecretOnly() throws Exception {
        ApiTokens.Issued issued = ApiTokens.issue();
        accounts.createToken(new ApiTokenInfo(issued.id(), "SMS import", Role.SCHOOL_VIEWER, "school-02", T0, "admin", T0 + 5000),
                issued.secretHash());
        ApiTokens.Presented presented = ApiTokens.parse(issued.token()).orElseThrow();
        assertThat(accounts.tokenPrincipal(presented, T0 + 1))
                .contains(new Principal("token:" + issued.id(), Role.SCHOOL_VIEWER, "school-02"));
        String forged = issued.token().substring(0, issued.token().length() - 1) + (issued.token().endsWith("A") ? "B" : "A");
        assertThat(accounts.tokenPrincipal(ApiTokens.parse(forged).orElseThrow(), T0 + 1)).isEmpty();
        assertThat(accounts.tokenPrincipal(presented, T0 + 5000)).as("expired").isEmpty();
        try (var c = db.connection(); var rs = c.createStatement().executeQuery("SELECT * FROM auth_token")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getString(i))).doesNotContain(issued.token().substring(17));
            }
        }
        assertThat(accounts.tokens()).extracting(ApiTokenInfo::label).containsExactly("SMS import");
        assertThat(accounts.deleteToken(issued.id())).isTrue();
        assertThat(accounts.tokenPrincipal(presented, T0 + 1)).isEmpty();
    }

    /** Verifies that replicas agree on one signing key: the first stored wins. */
    @Test
    void theFirstSigningKeyStoredIsKept() {
        assertThat(accounts.signingKey("first-key")).isEqualTo("first-key");
        assertThat(new JdbcAccounts(db).signingKey("second-key")).isEqualTo("first-key");
    }

    /** Verifies that the bootstrap admin is created once, with the configured password. */
    @Test
    void theBootstrapAdminIsCreatedOnce() {
        AccountsBootstrap.run(accounts, "root", "a bootstrap password", Clock.systemUTC(), System.out);
        String hash = accounts.user("root").orElseThrow().passwordHash();
        assertThat(accounts.user("root").orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(Passwords.matches(hash, "a bootstrap password")).isTrue();
        AccountsBootstrap.run(accounts, "root", "", Clock.systemUTC(), System.out);
        assertThat(accounts.user("root").orElseThrow().passwordHash()).as("kept at the next start").isEqualTo(hash);
    }

    /** Verifies that the audit log pages newest first and filters by school. */
    @Test
    void theAuditLogPagesNewestFirstAndFiltersBySchool() {
        audit.record(new AuditEntry(0, T0, "lan", "school-operator", "school-01", "POST /api/v1/alarms/{id}/ack", "id=a1", 200));
        audit.record(new AuditEntry(0, T0 + 1, "admin", "admin", null, "POST /api/v1/auth/users", "", 201));
        audit.record(new AuditEntry(0, T0 + 2, "hoa", "school-operator", "school-02", "PUT /api/v1/registry/schools/{school}/rooms/{room}",
                "school=school-02 room=r1", 200));
        List<AuditEntry> all = audit.entries(null, null, 10);
        assertThat(all).extracting(AuditEntry::actor).containsExactly("hoa", "admin", "lan");
        assertThat(audit.entries(null, all.get(0).id(), 1)).extracting(AuditEntry::actor).containsExactly("admin");
        assertThat(audit.entries("school-01", null, 10)).singleElement()
                .satisfies(e -> {
                    assertThat(e.action()).isEqualTo("POST /api/v1/alarms/{id}/ack");
                    assertThat(e.target()).isEqualTo("id=a1");
                    assertThat(e.at()).isEqualTo(T0);
                    assertThat(e.status()).isEqualTo(200);
                });
        assertThat(Optional.ofNullable(all.get(1).school())).isEmpty();
    }
}
