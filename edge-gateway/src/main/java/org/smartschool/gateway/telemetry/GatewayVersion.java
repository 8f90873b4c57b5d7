package org.smartschool.gateway.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The gateway's version, from the Maven metadata packaged in its jar; {@code dev} when run from classes. */
public final class GatewayVersion {
    private static final String POM_PROPERTIES = "/META-INF/maven/org.smartschool/edge-gateway/pom.properties";
    private static final String VERSION = read();

    private GatewayVersion() {
    }

    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = GatewayVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
