package org.smartschool.hub.config;

/**
 * The registry of schools, rooms, equipment and gateways.
 *
 * @param inventory an {@code inventory.yaml} loaded into the state database at every start (see
 *                  {@code hub-server/config/inventory.example.yaml}); empty for none
 * @param apiToken  when set, the registry API's changes (PUT, POST, DELETE) need
 *                  {@code Authorization: Bearer TOKEN}; when empty they are taken from loopback clients
 *                  only. Reads need no token. Never printed.
 */
public record RegistryConfig(String inventory, String apiToken) {
    public static final RegistryConfig DEFAULT = new RegistryConfig("", "");

    public RegistryConfig {
        inventory = inventory == null ? "" : inventory.strip();
        apiToken = apiToken == null ? "" : apiToken.strip();
        if (!apiToken.isEmpty() && apiToken.length() < 16) {
            throw new IllegalArgumentException("registry.apiToken must be at least 16 characters (or empty)");
        }
    }

    public boolean hasInventory() {
        return !inventory.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryConfig[inventory=" + inventory + ", apiToken=" + (apiToken.isEmpty() ? "" : "***") + "]";
    }
}
