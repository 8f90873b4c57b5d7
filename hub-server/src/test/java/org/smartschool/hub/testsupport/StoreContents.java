package org.smartschool.hub.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything a time-series store holds, as text, for privacy scans (is a learner's id or a card uid anywhere?):
 * every row of every table of a SQLite file, every point (tags and fields) of every measurement in every
 * retention policy of an InfluxDB database. Read around the store, as an outsider would.
 */
public final class StoreContents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreContents() {
    }

    /** Every table's name, column names and rows of the SQLite file. */
    public static String sqlite(Path file) {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                out.append("table ").append(table).append('\n');
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= columns; i++) {
                        out.append(rs.getMetaData().getColumnName(i)).append(i < columns ? "," : "\n");
                    }
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            out.append(rs.getString(i)).append(i < columns ? "," : "\n");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
        return out.toString();
    }

    /** Every measurement's points in every retention policy of the database (InfluxQL answers, with tags). */
    public static String influx(String url, String database) {
        StringBuilder out = new StringBuilder();
        try {
            List<String> policies = names(TestInflux.query(url, database, "SHOW RETENTION POLICIES ON \"" + database + "\""));
            List<String> measurements = names(TestInflux.query(url, database, "SHOW MEASUREMENTS"));
            out.append("measurements ").append(measurements).append('\n');
            out.append(TestInflux.query(url, database, "SHOW SERIES")).append('\n');
            for (String policy : policies) {
                for (String measurement : measurements) {
                    out.append(policy).append('.').append(measurement).append(' ')
                            .append(TestInflux.query(url, database, "SELECT * FROM \"" + database + "\".\"" + policy + "\".\""
                                    + measurement + "\" GROUP BY *")).append('\n');
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read InfluxDB database " + database + ": " + e, e);
        }
        return out.toString();
    }

    /** The first column of every row of the first answer. */
    private static List<String> names(String answer) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode series : JSON.readTree(answer).path("results").path(0).path("series")) {
            for (JsonNode row : series.path("values")) {
                out.add(row.path(0).asText());
            }
        }
        return out;
    }
}
