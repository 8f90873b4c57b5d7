package org.smartschool.hub.api.csv;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.StoredReading;

/**
 * The readings of a {@link ReadingQuery}'s window as CSV records, {@value #PAGE} at a time: each page is
 * one store query from the newest time of the page before, oldest first, then by device (the order both
 * stores answer in). Readings of that newest time that the page before already held are skipped by
 * device, so no reading is written twice or left out, however many devices share a millisecond
 * (up to {@value #PAGE} of them).
 *
 * <p>Columns: {@code time,timestamp,school,room,device,quantity,value,unit}. The query's {@code limit}
 * bounds the number of records.
 */
public final class ReadingRows implements CsvRows {
    static final int PAGE = 5_000;
    private static final List<String> HEADER = List.of("time", "timestamp", "school", "room", "device", "quantity", "value", "unit");

    private final ReadingStore store;
    private final ReadingQuery query;
    private final int page;
    private long cursor;
    private String lastDevice;
    private long lastTime = Long.MIN_VALUE;
    private long remaining;
    private boolean done;

    public ReadingRows(ReadingStore store, ReadingQuery query) {
        this(store, query, PAGE);
    }

    ReadingRows(ReadingStore store, ReadingQuery query, int page) {
        this.store = store;
        this.query = query;
        this.page = page;
        this.cursor = query.fromMillis();
        this.remaining = query.limit();
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> next() {
        List<String> out = new ArrayList<>();
        while (out.isEmpty() && !done && remaining > 0) {
            List<StoredReading> rows = store.readings(new ReadingQuery(query.school(), query.room(), query.quantity(),
                    query.device(), cursor, query.toMillis(), page));
            done = rows.size() < page;
            boolean progressed = false;
            for (StoredReading r : rows) {
                if (r.timestamp() == lastTime && r.device().compareTo(lastDevice) <= 0) {
                    continue; // the page before ended within this millisecond and held this one
                }
                progressed = true;
                lastTime = r.timestamp();
                lastDevice = r.device();
                if (remaining > 0) {
                    out.add(record(r));
                    remaining--;
                }
            }
            if (!progressed && !done) {
                throw new IllegalStateException("more than " + page + " readings in one millisecond at " + lastTime
                        + ": cannot page through them");
            }
            cursor = lastTime == Long.MIN_VALUE ? cursor : lastTime;
        }
        return out;
    }

    private String record(StoredReading r) {
        return CsvFormat.record(List.of(CsvFormat.time(r.timestamp()), Long.toString(r.timestamp()), query.school(),
                query.room(), r.device(), query.quantity().id(), CsvFormat.number(r.value()), query.quantity().unit()));
    }
}
