package org.smartschool.hub.auth;

import java.util.List;
import java.util.Optional;

/** Users, API tokens, login sessions and the session signing key, in the state database. Every method blocks. */
public interface Accounts {
    Optional<UserAccount> user(String name);

    List<UserAccount> users();

    /** @throws AccountConflictException when the name is taken */
    void createUser(UserAccount user);

    /** Deletes the user and ends its sessions; false when there was none. */
    boolean deleteUser(String name);

    /** Replaces the password hash and ends the user's sessions; false when there is no such user. */
    boolean setPassword(String name, String passwordHash);

    List<ApiTokenInfo> tokens();

    void createToken(ApiTokenInfo token, String secretHash);

    boolean deleteToken(String id);

    /** The holder of a token presented in a request, when it exists, its secret matches and it has not expired. */
    Optional<Principal> tokenPrincipal(ApiTokens.Presented presented, long now);

    /** Records a login session (the id is the JWT's {@code jti}). */
    void openSession(String id, String user, long at, long expiresAt);

    /** The user of a live session, as the user is now (role changes apply at once); empty when ended or expired. */
    Optional<Principal> session(String id, long now);

    /** Ends a session (logout); false when it was not live. */
    boolean closeSession(String id, long now);

    /**
     * The key that signs session tokens: the stored one, or {@code fresh} stored first when there is none (replicas
     * that start together agree on the one stored first).
     */
    String signingKey(String fresh);
}
