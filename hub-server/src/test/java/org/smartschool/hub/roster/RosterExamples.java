package org.smartschool.hub.roster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The example roster sets shipped in {@code hub-server/config/roster}, and zips of files for the API. */
public final class RosterExamples {
    private RosterExamples() {
    }

    /** {@code hub-server/config/roster/NAME}, found from the module directory Maven runs tests in. */
    public static Path dir(String name) {
        for (Path p : new Path[] {Path.of("config/roster", name), Path.of("hub-server/config/roster", name)}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find hub-server/config/roster/" + name + " from " + Path.of("").toAbsolutePath());
    }

    /** The hub's CSV format, for school-01 of the example inventory. */
    public static Map<String, byte[]> csv() {
        return RosterFiles.fromDirectory(dir("school-01"));
    }

    /** A OneRoster 1.2 bulk set, for school-02. */
    public static Map<String, byte[]> oneRoster() {
        return RosterFiles.fromDirectory(dir("school-02-oneroster"));
    }

    public static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry("roster/" + f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
