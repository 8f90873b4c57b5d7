package org.smartschool.hub.state;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.RegistryGatewayCredentials;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.RegistryStore.ApplyResult;

/**
 * What {@code serve} does with the registry at start: read the inventory file (a bad file stops the
 * start before the database is touched), open and migrate the state database, apply the inventory
 * and load the gateways' credentials. Blocks: call it on a worker thread.
 */
public final class RegistryBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryBootstrap.class);

    private RegistryBootstrap() {
    }

    /** The registry, ready: the caller owns {@code store} and closes it. */
    public record Opened(RegistryStore store, RegistryGatewayCredentials credentials) {
    }

    /**
     * @throws org.smartschool.hub.inventory.InventoryException naming the file, line and key of a bad inventory
     * @throws IllegalStateException when the state database cannot be opened or migrated
     */
    public static Opened open(StateConfig state, RegistryConfig registry) {
        Registry inventory = readInventory(registry);
        return apply(new JdbcRegistryStore(StateDatabase.open(state)), inventory, registry);
    }

    /**
     * As {@link #open(StateConfig, RegistryConfig)} on a database already open, which the returned store does not close.
     *
     * @param inventory the inventory {@link #readInventory} read, or null
     */
    static Opened open(StateDatabase db, Registry inventory, RegistryConfig registry) {
        return apply(new JdbcRegistryStore(db, false), inventory, registry);
    }

    /** The inventory file {@code registry} names, or null when none. */
    static Registry readInventory(RegistryConfig registry) {
        return registry.hasInventory() ? InventoryReader.read(Path.of(registry.inventory())) : null;
    }

    private static Opened apply(JdbcRegistryStore store, Registry inventory, RegistryConfig registry) {
        try {
            if (inventory != null) {
                ApplyResult result = store.apply(inventory);
                LOG.info("inventory {}: {} schools; {} records created, {} updated, {} unchanged", registry.inventory(),
                        inventory.schools().size(), result.created(), result.updated(), result.unchanged());
            }
            RegistryGatewayCredentials credentials = new RegistryGatewayCredentials();
            credentials.replaceAll(store.credentials());
            return new Opened(store, credentials);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
