package org.smartschool.hub.auth;

import java.util.regex.Pattern;

/**
 * A user as stored: the bcrypt hash of the password ({@link Passwords}), never the password. {@link #toString()}
 * leaves the hash out.
 */
public record UserAccount(String name, String passwordHash, Role role, String school, long createdAt, String createdBy) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    public UserAccount {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        new Principal(name, role, school); // the role and school agree
    }

    public Principal principal() {
        return new Principal(name, role, school);
    }

    /** Why a user name is not accepted; null when it is. */
    public static String nameProblem(String name) {
        return name != null && NAME.matcher(name).matches() ? null
                : "a user name is 1-64 of a-z 0-9 . _ @ - (lower case), starting with a letter or digit";
    }

    @Override
    public String toString() {
        return "UserAccount[name=" + name + ", role=" + role.id() + ", school=" + school + "]";
    }
}
