package org.smartschool.hub.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.config.StateConfig;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The hub's state database: SQLite (a file, the default) or PostgreSQL (pooled by HikariCP), with its
 * schema brought up to date by Flyway from the same migrations for both
 * ({@code classpath:org/smartschool/hub/state/migration}).
 */
public final class StateDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);
    public static final String MIGRATIONS = "classpath:org/smartschool/hub/state/migration";

    private final DataSource dataSource;
    private final boolean postgres;
    private final String description;

    private StateDatabase(DataSource dataSource, boolean postgres, String description) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.description = description;
    }

    /** Opens the database and migrates its schema; blocks. */
    public static StateDatabase open(StateConfig config) {
        if (config.url().isEmpty()) {
            throw new IllegalArgumentException("state.url is empty: resolve the default against the store's file first");
        }
        StateDatabase db = config.usesPostgres() ? postgres(config) : sqlite(config);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(db.dataSource)
                    .locations(MIGRATIONS)
                    .table("state_schema_history")
                    .load()
                    .migrate();
            LOG.info("state database {}: schema version {} ({} migrations applied now)", db.description,
                    result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            db.close();
            throw new IllegalStateException("state database " + db.description + ": cannot migrate the schema: " + e.getMessage(), e);
        }
        return db;
    }

    private static StateDatabase sqlite(StateConfig config) {
        String file = config.url().substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        Path path = Path.of(query < 0 ? file : file.substring(0, query));
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("state database: cannot create the directory of " + path, e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(10_000);
        // a write transaction takes the write lock at BEGIN: two stores that read and then write
        // (JdbcAlarmStore, JdbcWebhookStore) would otherwise meet in a lock upgrade, which SQLite
        // refuses at once with SQLITE_BUSY instead of waiting out the busy timeout
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl(config.url());
        return new StateDatabase(source, false, "SQLite " + path);
    }

    private static StateDatabase postgres(StateConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("hub-state");
        hikari.setJdbcUrl(config.url());
        if (!config.user().isEmpty()) {
            hikari.setUsername(config.user());
        }
        if (!config.password().isEmpty()) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        String shown = config.url().replaceAll("password=[^&]*", "password=***");
        try {
            return new StateDatabase(new HikariDataSource(hikari), true, "PostgreSQL " + shown);
        } catch (RuntimeException e) {
            throw new IllegalStateException("state database PostgreSQL " + shown + ": cannot connect: " + e.getMessage(), e);
        }
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    boolean usesPostgres() {
        return postgres;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}
