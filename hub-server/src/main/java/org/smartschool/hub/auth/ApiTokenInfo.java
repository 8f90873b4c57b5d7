package org.smartschool.hub.auth;

/**
 * An API token as listed: what it is for, its role and school; never its secret.
 *
 * @param id        the public part of the token ({@code sst_ID_...})
 * @param label     what it is for ("SMS attendance import")
 * @param expiresAt epoch ms, or null for a token that does not expire
 */
public record ApiTokenInfo(String id, String label, Role role, String school, long createdAt, String createdBy,
                           Long expiresAt) {
    public ApiTokenInfo {
        new Principal(name(id), role, school); // the role and school agree
        if (label == null || label.isBlank() || label.length() > 200) {
            throw new IllegalArgumentException("a token's label is 1-200 characters");
        }
    }

    /** What the audit log and {@code /auth/me} call a token's holder. */
    public static String name(String id) {
        return "token:" + id;
    }

    public Principal principal() {
        return new Principal(name(id), role, school);
    }
}
