package org.smartschool.hub.roster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.smartschool.bridge.text.SafeText;

/** The files of an import by name: from a zip archive (the API) or a directory (the CLI). */
public final class RosterFiles {
    /** Uncompressed bytes at most, over all files of one import (a zip bomb stops here). */
    public static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final int MAX_FILES = 64;

    private RosterFiles() {
    }

    /**
     * The {@code .csv} files of the archive by their name without folders; other entries (folders, hidden
     * files, macOS metadata) are left out.
     *
     * @throws RosterImportException when the archive is unreadable, too large or names a file twice
     */
    public static Map<String, byte[]> fromZip(byte[] zip) {
        Map<String, byte[]> files = new TreeMap<>();
        RosterProblems problems = new RosterProblems();
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            // ZipInputStream reads anything else as an archive without entries
            problems.add("(zip)", 0, "", "not a zip archive of CSV files");
            problems.throwIfAny();
        }
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (entry.isDirectory() || entry.getName().startsWith("__MACOSX/") || name.startsWith(".") || !name.endsWith(".csv")) {
                    continue;
                }
                if (++entries > MAX_FILES) {
                    problems.add("(zip)", 0, "", "more than " + MAX_FILES + " CSV files");
                    break;
                }
                byte[] bytes = read(in, MAX_BYTES - total);
                if (bytes == null) {
                    problems.add("(zip)", 0, "", "more than " + MAX_BYTES / (1024 * 1024) + " MB uncompressed");
                    break;
                }
                total += bytes.length;
                if (files.put(name, bytes) != null) {
                    problems.add(SafeText.clean(name, 80), 0, "", "in the archive twice (in different folders)");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add("(zip)", 0, "", "not a zip archive of CSV files");
        }
        if (problems.isEmpty() && files.isEmpty() && zip.length > 0) {
            problems.add("(zip)", 0, "", "no .csv file in the archive");
        }
        problems.throwIfAny();
        return files;
    }

    /** The {@code .csv} files of a directory (not its sub-directories). */
    public static Map<String, byte[]> fromDirectory(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the roster files in " + dir, e);
        }
        return files;
    }

    /** The entry's bytes, or null when it holds more than {@code limit}. */
    private static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > limit) {
                return null;
            }
        }
        return out.toByteArray();
    }
}
