package org.smartschool.hub.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL database for one test class, in the server {@code SS_TEST_PG_URL} names
 * (CI starts one, see {@code .ci/run}): created empty with a unique name, dropped by {@link #close()}.
 * Without the variable the test is skipped with a message, or fails when {@code SS_TEST_REQUIRE_SERVICES=1}.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String URL_VARIABLE = "SS_TEST_PG_URL";
    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    private final String adminUrl;
    private final String database;
    private final String url;

    private TestPostgres(String adminUrl, String database, String url) {
        this.adminUrl = adminUrl;
        this.database = database;
        this.url = url;
    }

    /** Creates the database, or skips (fails in CI) when no server is configured. */
    public static TestPostgres create(String purpose) throws SQLException {
        Map<String, String> env = System.getenv();
        String admin = env.getOrDefault(URL_VARIABLE, "").strip();
        if (admin.isEmpty()) {
            String message = URL_VARIABLE + " is not set: no PostgreSQL to test against (e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres; .ci/run starts one)";
            if ("1".equals(env.get("SS_TEST_REQUIRE_SERVICES"))) {
                Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
            }
            Assumptions.abort(message);
        }
        Matcher m = JDBC_URL.matcher(admin);
        if (!m.matches()) {
            throw new IllegalArgumentException(URL_VARIABLE + " must look like jdbc:postgresql://HOST:PORT/DB[?user=...]: " + admin);
        }
        String database = ("ss_test_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        return new TestPostgres(admin, database, m.group(1) + database + (m.group(3) == null ? "" : m.group(3)));
    }

    /** The JDBC URL of the new database (with the same parameters, e.g. user, as the server's). */
    public String url() {
        return url;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
