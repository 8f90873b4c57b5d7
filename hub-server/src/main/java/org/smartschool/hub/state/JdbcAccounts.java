package org.smartschool.hub.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.smartschool.hub.auth.AccountConflictException;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.ApiTokenInfo;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;

/** {@link Accounts} in the state database (tables of V8). */
final class JdbcAccounts implements Accounts {
    private static final String SIGNING_KEY_ID = "session";
    private final Jdbc jdbc;

    JdbcAccounts(StateDatabase db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public Optional<UserAccount> user(String name) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM auth_user WHERE name = ?", JdbcAccounts::user, name))
                .stream().findFirst();
    }

    @Override
    public List<UserAccount> users() {
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM auth_user ORDER BY name", JdbcAccounts::user));
    }

    @Override
    public void createUser(UserAccount user) {
        jdbc.write(c -> {
            if (!Jdbc.query(c, "SELECT name FROM auth_user WHERE name = ?", rs -> rs.getString(1), user.name()).isEmpty()) {
                throw new AccountConflictException("a user '" + user.name() + "' exists already");
            }
            return Jdbc.update(c, "INSERT INTO auth_user (name, password_hash, role, school, created_at, created_by)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", user.name(), user.passwordHash(), user.role().id(), user.school(),
                    user.createdAt(), user.createdBy());
        });
    }

    @Override
    public boolean deleteUser(String name) {
        return jdbc.write(c -> {
            Jdbc.update(c, "DELETE FROM auth_session WHERE user_name = ?", name);
            return Jdbc.update(c, "DELETE FROM auth_user WHERE name = ?", name) > 0;
        });
    }

    @Override
    public boolean setPassword(String name, String passwordHash) {
        return jdbc.write(c -> {
            Jdbc.update(c, "DELETE FROM auth_session WHERE user_name = ?", name);
            return Jdbc.update(c, "UPDATE auth_user SET password_hash = ? WHERE name = ?", passwordHash, name) > 0;
        });
    }

    @Override
    public List<ApiTokenInfo> tokens() {
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM auth_token ORDER BY created_at, id", JdbcAccounts::token));
    }

    @Override
    public void createToken(ApiTokenInfo token, String secretHash) {
        jdbc.write(c -> Jdbc.update(c, "INSERT INTO auth_token (id, secret_hash, label, role, school, created_at, created_by,"
                        + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token.id(), secretHash, token.label(), token.role().id(),
                token.school(), token.createdAt(), token.createdBy(), token.expiresAt()));
    }

    @Override
    public boolean deleteToken(String id) {
        return jdbc.write(c -> Jdbc.update(c, "DELETE FROM auth_token WHERE id = ?", id) > 0);
    }

    @Override
    public Optional<Principal> tokenPrincipal(ApiTokens.Presented presented, long now) {
        record Stored(ApiTokenInfo info, String hash) {
        }
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM auth_token WHERE id = ?",
                        rs -> new Stored(token(rs), rs.getString("secret_hash")), presented.id())).stream()
                .filter(s -> ApiTokens.sameHash(s.hash(), presented.secretHash()))
                .filter(s -> s.info().expiresAt() == null || s.info().expiresAt() > now)
                .map(s -> s.info().principal())
                .findFirst();
    }

    @Override
    public void openSession(String id, String user, long at, long expiresAt) {
        jdbc.write(c -> {
            // ended and expired sessions are of no further use: each login clears its user's
            Jdbc.update(c, "DELETE FROM auth_session WHERE user_name = ? AND (ended_at IS NOT NULL OR expires_at <= ?)", user, at);
            return Jdbc.update(c, "INSERT INTO auth_session (id, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    id, user, at, expiresAt);
        });
    }

    @Override
    public Optional<Principal> session(String id, long now) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT u.* FROM auth_session s JOIN auth_user u ON u.name = s.user_name"
                + " WHERE s.id = ? AND s.ended_at IS NULL AND s.expires_at > ?", JdbcAccounts::user, id, now)).stream()
                .map(UserAccount::principal).findFirst();
    }

    @Override
    public boolean closeSession(String id, long now) {
        return jdbc.write(c -> Jdbc.update(c, "UPDATE auth_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL", now, id) > 0);
    }

    @Override
    public String signingKey(String fresh) {
        return jdbc.write(c -> {
            Jdbc.update(c, "INSERT INTO auth_signing_key (id, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    SIGNING_KEY_ID, fresh, System.currentTimeMillis());
            return Jdbc.query(c, "SELECT secret FROM auth_signing_key WHERE id = ?", rs -> rs.getString(1), SIGNING_KEY_ID).get(0);
        });
    }

    private static UserAccount user(ResultSet rs) throws SQLException {
        return new UserAccount(rs.getString("name"), rs.getString("password_hash"), role(rs), rs.getString("school"),
                rs.getLong("created_at"), rs.getString("created_by"));
    }

    private static ApiTokenInfo token(ResultSet rs) throws SQLException {
        return new ApiTokenInfo(rs.getString("id"), rs.getString("label"), role(rs), rs.getString("school"),
                rs.getLong("created_at"), rs.getString("created_by"), Jdbc.longOrNull(rs, "expires_at"));
    }

    private static Role role(ResultSet rs) throws SQLException {
        String id = rs.getString("role");
        return Role.byId(id).orElseThrow(() -> new SQLException("unknown role '" + id + "' in the state database"));
    }
}
