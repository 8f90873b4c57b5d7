package org.smartschool.hub.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The example inventory shipped in {@code hub-server/config}. */
public final class Inventories {
    private Inventories() {
    }

    /** {@code hub-server/config/inventory.example.yaml}, found from the module directory Maven runs tests in. */
    public static Path example() {
        for (Path p : new Path[] {Path.of("config/inventory.example.yaml"), Path.of("hub-server/config/inventory.example.yaml")}) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find hub-server/config/inventory.example.yaml from " + Path.of("").toAbsolutePath());
    }
}
