package org.smartschool.hub.config;

/**
 * The inventory file loaded into the registry at start.
 *
 * @param path an {@code inventory.yaml} (see {@code hub-server/config/inventory.example.yaml}); empty for none
 */
public record InventoryConfig(String path) {
    public static final InventoryConfig NONE = new InventoryConfig("");

    public InventoryConfig {
        path = path == null ? "" : path.strip();
    }

    public boolean isSet() {
        return !path.isEmpty();
    }
}
