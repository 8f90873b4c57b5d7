package org.smartschool.hub.api.csv;

import java.util.List;

/**
 * The records of one CSV answer, read page by page from the store so that a long export never sits
 * in the hub's heap whole. {@link #next()} blocks (it queries the store): call it on a worker thread,
 * one call at a time.
 */
public interface CsvRows {
    /** The header record's fields. */
    List<String> header();

    /** The next page of records, each a CSV record with its CRLF; empty when there are no more. */
    List<String> next();
}
