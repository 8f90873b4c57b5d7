package org.smartschool.hub.roster;

/** Where a record came from: a file of the import and its line (1 = the header). */
public record Where(String file, long line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
