package org.smartschool.hub.state;

import java.nio.file.Path;
import java.time.Clock;

import java.util.function.Predicate;

import org.smartschool.hub.alarm.AlarmStore;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.AuditLog;
import org.smartschool.hub.attendance.AttendanceSink;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.SharedLiveness;
import org.smartschool.hub.live.LiveEvent;
import org.smartschool.hub.live.LiveEvents;
import org.smartschool.hub.forward.WebhookStore;
import org.smartschool.hub.forward.edfi.EdfiStore;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.RegistryGatewayCredentials;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.store.HubState;

/**
 * Everything the hub keeps in its one state database, over one pool: the registry, the batch ids and gateway
 * status ({@link HubState}), the fleet event log, alarms, the webhook queue and the Ed-Fi queue. What {@code serve} and the demo open at start.
 */
public final class StateStores implements AutoCloseable {
    private final StateDatabase db;
    private final RegistryBootstrap.Opened registry;
    private final JdbcHubState hubState;
    private final JdbcFleetEventLog fleet;
    private final JdbcAlarmStore alarms;
    private final JdbcWebhookStore webhooks;
    private final JdbcEdfiStore edfi;
    private final JdbcAccounts accounts;
    private final JdbcAuditLog audit;
    private final JdbcRosterStore rosters;
    private final Clock clock;

    private StateStores(StateDatabase db, RegistryBootstrap.Opened registry, JdbcHubState hubState, JdbcFleetEventLog fleet,
                        Clock clock) {
        this.db = db;
        this.registry = registry;
        this.hubState = hubState;
        this.fleet = fleet;
        this.alarms = new JdbcAlarmStore(db, clock);
        this.webhooks = new JdbcWebhookStore(db);
        this.edfi = new JdbcEdfiStore(db);
        this.accounts = new JdbcAccounts(db);
        this.audit = new JdbcAuditLog(db);
        this.rosters = new JdbcRosterStore(db);
        this.clock = clock;
    }

    /**
     * Reads the inventory (a bad file stops here, before the database is touched), opens and migrates the
     * database, copies once what an older hub kept in its data directory ({@link LegacyStateImport}), applies
     * the inventory and loads the gateways' credentials. Blocks.
     *
     * @param state     with its URL resolved ({@link StateConfig#resolve})
     * @param storeFile {@code store.path}: its directory is the data directory of older versions' files
     */
    public static StateStores open(StateConfig state, RegistryConfig registryConfig, Path storeFile, Clock clock) {
        Registry inventory = RegistryBootstrap.readInventory(registryConfig);
        StateDatabase db = StateDatabase.open(state);
        try {
            LegacyStateImport.run(db, storeFile, clock.millis(), JdbcHubState.BATCH_ID_RETENTION);
            RegistryBootstrap.Opened registry = RegistryBootstrap.open(db, inventory, registryConfig);
            return new StateStores(db, registry, new JdbcHubState(db, clock), new JdbcFleetEventLog(db), clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public RegistryStore registry() {
        return registry.store();
    }

    public RegistryGatewayCredentials credentials() {
        return registry.credentials();
    }

    public HubState hubState() {
        return hubState;
    }

    public FleetEventLog fleetEvents() {
        return fleet;
    }

    public AlarmStore alarms() {
        return alarms;
    }

    /**
     * Fleet liveness shared with the other hub replicas on this database, for PostgreSQL (replicas behind a load
     * balancer); empty for SQLite, the database of one hub, whose liveness stays in its memory alone.
     *
     * @param replica this hub process's id, unique among the replicas
     */
    public java.util.Optional<SharedLiveness> sharedLiveness(String replica) {
        return db.usesPostgres() ? java.util.Optional.of(new JdbcSharedLiveness(db, replica)) : java.util.Optional.empty();
    }

    /**
     * For PostgreSQL (replicas behind a load balancer), the relay that passes live events between the replicas;
     * empty for SQLite, the database of one hub. Not started.
     *
     * @param replica this hub process's id, unique among the replicas
     * @param encoder an event's JSON as the console's streams carry it
     */
    public java.util.Optional<PostgresLiveRelay> liveRelay(String replica, java.util.function.Function<LiveEvent, String> encoder,
                                                           LiveEvents events, io.micrometer.core.instrument.MeterRegistry meters) {
        return db.usesPostgres() ? java.util.Optional.of(new PostgresLiveRelay(db, replica, encoder, events, meters))
                : java.util.Optional.empty();
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    /** The Ed-Fi connector's queue and resource ids. */
    public EdfiStore edfi() {
        return edfi;
    }

    /** Users, API tokens and login sessions (scoped access). */
    public Accounts accounts() {
        return accounts;
    }

    /** Who changed what through the API. */
    public AuditLog audit() {
        return audit;
    }

    /** The schools' rosters, excuses and card keys (migration V6). */
    public JdbcRosterStore rosters() {
        return rosters;
    }

    /**
     * Where attendance events are handed in for forwarding (webhooks, and Ed-Fi for the schools
     * {@code edfiSchools} accepts); {@code wake} is called after each.
     */
    public AttendanceSink attendanceOutbox(Predicate<String> edfiSchools, Runnable wake) {
        return new JdbcAttendanceOutbox(db, edfiSchools, clock, wake);
    }

    /**
     * The attendance ledger: events taken once, forwarded as {@link #attendanceOutbox} does and counted per
     * class and session in the same transaction.
     */
    public org.smartschool.hub.attendance.AttendanceLedger attendanceLedger(Predicate<String> edfiSchools, Runnable wake) {
        return new JdbcAttendanceLedger(db, edfiSchools, clock, wake);
    }

    @Override
    public String toString() {
        return db.toString();
    }

    /** Closes the parts, then the database. */
    @Override
    public void close() {
        try {
            hubState.close();
            fleet.close();
            registry.store().close();
        } finally {
            db.close();
        }
    }
}
