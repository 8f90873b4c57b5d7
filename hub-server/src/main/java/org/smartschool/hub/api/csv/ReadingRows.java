package org.smartschool.hub.api.csv;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.StoredReading;

/**
 * The readings of a {@link ReadingQuery}'s window as CSV records, {@value #PAGE} at a time: each page is
 * one store query from the newest time of the page before, oldest first, then by device (the order both
 * stores answer in). That query asks for as many more readings as the pages before held of that newest
 * time and skips them (same time, device not after the last one written), so no reading is written twice
 * or left out however many devices share a millisecond, and every full page moves on.
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
    private long lastTime;
    private String lastDevice;
    /** readings of {@link #lastTime} written so far: the next query's first ones */
    private int atLastTime;
    private long remaining;
    private boolean done;

    public ReadingRows(ReadingStore store, ReadingQuery query) {
        this(store, query, PAGE);
    }

    /** @param page readings per store query */
    public ReadingRows(ReadingStore store, ReadingQuery query, int page) {
        this.store = store;
        this.query = query;
        this.page = page;
        this.lastTime = query.fromMillis();
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
            int limit = (int) Math.min(Integer.MAX_VALUE, (long) page + atLastTime);
            List<StoredReading> rows = store.readings(new ReadingQuery(query.school(), query.room(), query.quantity(),
                    query.device(), lastTime, query.toMillis(), limit));
            done = rows.size() < limit;
            for (StoredReading r : rows) {
                if (r.timestamp() == lastTime && lastDevice != null && r.device().compareTo(lastDevice) <= 0) {
                    continue; // a page before ended within this millisecond and held this one
                }
                atLastTime = r.timestamp() == lastTime ? atLastTime + 1 : 1;
                lastTime = r.timestamp();
                lastDevice = r.device();
                if (remaining > 0) {
                    out.add(record(r));
                    remaining--;
                }
            }
        }
        return out;
    }

    private String record(StoredReading r) {
        return CsvFormat.record(List.of(CsvFormat.time(r.timestamp()), Long.toString(r.timestamp()), query.school(),
                query.room(), r.device(), query.quantity().id(), CsvFormat.number(r.value()), query.quantity().unit()));
    }
}
