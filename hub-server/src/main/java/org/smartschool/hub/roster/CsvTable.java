package org.smartschool.hub.roster;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * One CSV file of an import (UTF-8, optional BOM, a header line naming the columns, RFC 4180 quoting),
 * parsed by Jackson's CSV module into rows that know their line. Empty lines are skipped.
 */
final class CsvTable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .build();

    /** A row: its cells by column, and where it is. */
    record Row(Where where, Map<String, String> cells) {
        /** The cell, stripped; empty when the column is absent or the cell empty. */
        String get(String column) {
            String v = cells.get(column);
            return v == null ? "" : v.strip();
        }
    }

    private final String file;
    private final List<String> header;
    private final List<Row> rows;

    private CsvTable(String file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    String file() {
        return file;
    }

    List<Row> rows() {
        return rows;
    }

    boolean has(String column) {
        return header.contains(column);
    }

    /**
     * Parses the file; a file that is not UTF-8 or not CSV adds a problem and gives null.
     *
     * @param required columns that must be in the header
     * @param allowed  every column the file may have (null: any, as OneRoster's files may carry more)
     */
    static CsvTable parse(String file, byte[] bytes, Collection<String> required, Set<String> allowed, RosterProblems problems) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(file, 0, "", "not UTF-8 text");
            return null;
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(text)) {
            while (it.hasNextValue()) {
                List<String> cells = it.nextValue();
                // the row's closing token is on its last line (a quoted cell may span lines)
                long line = it.getParser().currentTokenLocation().getLineNr();
                if (header == null) {
                    header = cells.stream().map(String::strip).toList();
                    if (!checkHeader(file, header, required, allowed, problems)) {
                        return null;
                    }
                    continue;
                }
                if (cells.size() > header.size()) {
                    problems.add(file, line, "", cells.size() + " cells, the header has " + header.size() + " columns");
                    continue;
                }
                Map<String, String> byColumn = new LinkedHashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    byColumn.put(header.get(i), cells.get(i));
                }
                rows.add(new Row(new Where(file, line), byColumn));
            }
        } catch (IOException | RuntimeException e) {
            // Jackson's message quotes the input: say where only
            problems.add(file, 0, "", "not CSV (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        if (header == null) {
            problems.add(file, 0, "", "empty: a header line naming the columns is required");
            return null;
        }
        return new CsvTable(file, header, rows);
    }

    private static boolean checkHeader(String file, List<String> header, Collection<String> required, Set<String> allowed,
                                       RosterProblems problems) {
        boolean ok = true;
        for (String column : required) {
            if (!header.contains(column)) {
                problems.add(file, 1, column, "missing column");
                ok = false;
            }
        }
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            if (allowed != null && !allowed.contains(column)) {
                problems.add(file, 1, column.isEmpty() ? "#" + (i + 1) : org.smartschool.bridge.text.SafeText.clean(column, 64),
                        "unknown column; expected " + String.join(", ", allowed));
                ok = false;
            } else if (header.indexOf(column) != i) {
                problems.add(file, 1, column, "column named twice");
                ok = false;
            }
        }
        return ok;
    }
}
