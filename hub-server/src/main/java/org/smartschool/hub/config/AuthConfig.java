package org.smartschool.hub.config;

/**
 * Scoped access (README, "Users, roles and scoped access").
 *
 * @param bootstrapAdmin    when set and no user of that name exists, the hub creates it as admin at start; empty
 *                          (the default) for none
 * @param bootstrapPassword its password (10-72 bytes): keep it in {@code SS_HUB_AUTH_BOOTSTRAP_PASSWORD}; empty to
 *                          have one generated and printed once on standard output. Never printed otherwise.
 * @param sessionHours      how long a login lasts
 */
public record AuthConfig(String bootstrapAdmin, String bootstrapPassword, int sessionHours) {
    public static final AuthConfig DEFAULT = new AuthConfig("", "", 8);

    public AuthConfig {
        bootstrapAdmin = bootstrapAdmin == null ? "" : bootstrapAdmin.strip();
        bootstrapPassword = bootstrapPassword == null ? "" : bootstrapPassword;
        if (!bootstrapAdmin.isEmpty()) {
            String problem = org.smartschool.hub.auth.UserAccount.nameProblem(bootstrapAdmin);
            if (problem != null) {
                throw new IllegalArgumentException("auth.bootstrapAdmin: " + problem);
            }
        }
        if (!bootstrapPassword.isEmpty()) {
            String problem = org.smartschool.hub.auth.Passwords.problem(bootstrapPassword);
            if (problem != null) {
                throw new IllegalArgumentException("auth.bootstrapPassword: " + problem);
            }
        }
        if (sessionHours < 1 || sessionHours > 24 * 30) {
            throw new IllegalArgumentException("auth.sessionHours must be between 1 and 720: " + sessionHours);
        }
    }

    @Override
    public String toString() {
        return "AuthConfig[bootstrapAdmin=" + bootstrapAdmin + ", bootstrapPassword=***, sessionHours=" + sessionHours + "]";
    }
}
