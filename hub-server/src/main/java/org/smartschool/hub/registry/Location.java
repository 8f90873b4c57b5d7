package org.smartschool.hub.registry;

/** WGS 84 coordinates in decimal degrees, as a map shows them. */
public record Location(double latitude, double longitude) {
    public Location {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new InvalidRegistryException("latitude", "latitude must be -90 to 90 degrees: " + latitude);
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new InvalidRegistryException("longitude", "longitude must be -180 to 180 degrees: " + longitude);
        }
    }
}
